#!/usr/bin/env python3
"""Write tests/golden/preprocess.json: timm's eval transform output for every decodable fixture image.

For each image in tests/fixtures/images that Pillow decodes (per tests/golden/decode.json), plus a
deterministic selection of real photos from ../shared/data/imagenet-1k-sample (under "shared_images",
checked by the test only where ../shared exists), and each case (interpolation x crop mode x input size / crop_pct / mean / std), the golden records two hashes:
  * the uint8 RGB crop that timm.data.transforms_imagenet_eval(use_prefetcher=True) returns, HWC;
  * the float32 CHW tensor of timm's PrefetchLoader normalisation: x.float().sub_(mean*255).div_(std*255).
It also checks that scripts/reference_validate.py's re-implementation of the transform gives the
same uint8 crop, and reports any difference.

Needs timm (1.0.x) over Debian's torch 1.13 / torchvision 0.14 / Pillow 9.4; deterministic:
    .venv/bin/python scripts/gen_preprocess_golden.py

Hash ("rows_fnv1a64"): FNV-1a 64 of each row's bytes, then FNV-1a 64 over those row hashes as
little-endian uint64. A row is one image row (W*3 bytes) for the uint8 crop and one channel row
(W float32, little-endian) for the tensor. Row-wise so numpy can hash all rows at once.
"""

import argparse
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import PIL
import timm
import torch
import torchvision
from PIL import Image
from timm.data.transforms_factory import transforms_imagenet_eval

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "tests" / "fixtures" / "images"
DECODE_GOLDEN = REPO / "tests" / "golden" / "decode.json"
GOLDEN = REPO / "tests" / "golden" / "preprocess.json"
SHARED_SAMPLE = Path("data") / "imagenet-1k-sample"
SHARED_STRIDE = 50

FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
INCEPTION_MEAN = (0.5, 0.5, 0.5)
INCEPTION_STD = (0.5, 0.5, 0.5)

INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "box", "hamming", "lanczos")
CROP_MODES = ("center", "squash", "border")
# (height, width, crop_pct, mean, std); scale sizes 256, 146, 160, 250, 102, 124x160: (scale - size) is
# odd for 225/0.9 and 97/0.95, and the long side's excess is odd for many images.
SIZES = (
    (224, 224, 0.875, IMAGENET_MEAN, IMAGENET_STD),
    (128, 128, 0.875, IMAGENET_MEAN, IMAGENET_STD),
    (160, 160, 1.0, INCEPTION_MEAN, INCEPTION_STD),
    (225, 225, 0.9, IMAGENET_MEAN, IMAGENET_STD),
    (97, 97, 0.95, IMAGENET_MEAN, IMAGENET_STD),
    (112, 144, 0.9, IMAGENET_MEAN, IMAGENET_STD),
)


def rows_fnv1a64(rows):
    """rows: 2-D uint8 array, one row per hashed row."""
    row_hashes = np.full(rows.shape[0], FNV_OFFSET, dtype=np.uint64)
    columns = rows.astype(np.uint64)
    for column in range(rows.shape[1]):
        row_hashes ^= columns[:, column]
        row_hashes *= FNV_PRIME
    value = int(FNV_OFFSET)
    for byte in row_hashes.astype("<u8").tobytes():
        value = ((value ^ byte) * int(FNV_PRIME)) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


def build_cases():
    cases = []
    for height, width, crop_pct, mean, std in SIZES:
        for crop_mode in CROP_MODES:
            for interpolation in INTERPOLATIONS:
                cases.append({
                    "input_size": [height, width],
                    "crop_pct": crop_pct,
                    "crop_mode": crop_mode,
                    "interpolation": interpolation,
                    "mean": list(mean),
                    "std": list(std),
                })
    return cases


def load_reference_script():
    spec = importlib.util.spec_from_file_location("reference_validate", REPO / "scripts" / "reference_validate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timm_transform(case):
    height, width = case["input_size"]
    img_size = height if height == width else (height, width)
    return transforms_imagenet_eval(
        img_size=img_size, crop_pct=case["crop_pct"], crop_mode=case["crop_mode"],
        interpolation=case["interpolation"], mean=tuple(case["mean"]), std=tuple(case["std"]),
        use_prefetcher=True)


def reference_transform(reference, case):
    return reference.eval_transform({
        "input_size": (3, *case["input_size"]), "crop_pct": case["crop_pct"], "crop_mode": case["crop_mode"],
        "interpolation": case["interpolation"], "mean": tuple(case["mean"]), "std": tuple(case["std"])})


def normalize(chw_uint8, case):
    mean = torch.tensor([x * 255 for x in case["mean"]], dtype=torch.float32).view(3, 1, 1)
    std = torch.tensor([x * 255 for x in case["std"]], dtype=torch.float32).view(3, 1, 1)
    return chw_uint8.to(torch.float32).sub_(mean).div_(std)


def select_shared_images(sample_dir):
    """Every SHARED_STRIDE-th image by path, plus the largest, the smallest-sided and the most elongated."""
    paths = sorted(p.relative_to(sample_dir).as_posix() for p in sample_dir.rglob("*.JPEG"))
    sizes = {}
    for path in paths:
        with Image.open(sample_dir / path) as image:
            sizes[path] = image.size
    chosen = set(paths[::SHARED_STRIDE])
    chosen.add(max(paths, key=lambda p: (sizes[p][0] * sizes[p][1], p)))
    chosen.add(min(paths, key=lambda p: (min(sizes[p]), p)))
    chosen.add(max(paths, key=lambda p: (max(sizes[p]) / min(sizes[p]), p)))
    return sorted(chosen)


def describe_images(directory, names, cases, timm_transforms, reference_transforms, totals):
    images = {}
    for name in names:
        with Image.open(directory / name) as image:
            rgb = image.convert("RGB")
        hashes = []
        for case, transform, reference_tf in zip(cases, timm_transforms, reference_transforms):
            chw = transform(rgb)
            height, width = case["input_size"]
            assert chw.dtype == torch.uint8 and tuple(chw.shape) == (3, height, width), (name, case, chw.shape)
            hwc = chw.permute(1, 2, 0).contiguous().numpy()
            if not torch.equal(reference_tf(rgb), chw):
                totals["reference_differences"].append((name, case))
            tensor = normalize(chw, case).contiguous().numpy().astype("<f4")
            totals["pixels"] += height * width
            totals["cases"] += 1
            hashes.append(rows_fnv1a64(hwc.reshape(height, width * 3)) + " " +
                          rows_fnv1a64(tensor.view(np.uint8).reshape(3 * height, width * 4)))
        images[name] = {"width": rgb.width, "height": rgb.height, "hashes": hashes}
        print(f"{name}: {len(hashes)} cases", file=sys.stderr)
    return images


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared-dir", type=Path, default=REPO.parent / "shared",
                        help="shared assets folder holding data/imagenet-1k-sample (default: ../shared)")
    args = parser.parse_args()
    decode_golden = json.loads(DECODE_GOLDEN.read_text())["images"]
    names = sorted(name for name, entry in decode_golden.items() if "error" not in entry)
    shared_names = select_shared_images(args.shared_dir / SHARED_SAMPLE)
    cases = build_cases()
    timm_transforms = [timm_transform(case) for case in cases]
    reference = load_reference_script()
    reference_transforms = [reference_transform(reference, case) for case in cases]

    totals = {"cases": 0, "pixels": 0, "reference_differences": []}
    images = describe_images(IMAGES, names, cases, timm_transforms, reference_transforms, totals)
    shared_images = describe_images(args.shared_dir / SHARED_SAMPLE, shared_names, cases, timm_transforms,
                                    reference_transforms, totals)

    golden = {
        "description": "timm transforms_imagenet_eval(use_prefetcher=True) per fixture image and case; "
                       "hashes[i] = '<uint8 HWC crop> <float32 CHW prefetcher-normalised tensor>' for cases[i], "
                       "each rows_fnv1a64 (see scripts/gen_preprocess_golden.py)",
        "versions": {"timm": timm.__version__, "torch": torch.__version__.split("+")[0],
                     "torchvision": torchvision.__version__.split("+")[0], "pillow": PIL.__version__},
        "cases": cases,
        "images": images,
        "shared_sample": SHARED_SAMPLE.as_posix(),
        "shared_images": shared_images,
    }
    GOLDEN.write_text(json.dumps(golden, indent=1) + "\n")
    print(f"wrote {GOLDEN.relative_to(REPO)}: {len(names)} fixture + {len(shared_names)} shared images x "
          f"{len(cases)} cases = {totals['cases']}, {totals['pixels']} pixels; reference_validate.py differs "
          f"from timm in {len(totals['reference_differences'])} cases")
    for name, case in totals["reference_differences"]:
        print(f"  reference differs: {name} {case}")


if __name__ == "__main__":
    main()
