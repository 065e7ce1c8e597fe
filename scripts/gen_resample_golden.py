#!/usr/bin/env python3
"""Writes the golden data for tests/test_resample.cpp into tests/golden/resample/.

Creates small deterministic test images (gradients, noise, hard edges, varied alpha)
in modes L, RGB and RGBA, saves them as PNG under inputs/, and records in
manifest.json the FNV-1a 64-bit hash of Pillow's Image.resize(size, filter) output
bytes (row-major HWC) for every (input, size, filter) case.

Needs Pillow 9.4 and numpy (Debian bookworm: /usr/bin/python3). Deterministic: rerunning
it reproduces the committed files byte for byte with the same Pillow/zlib.

    /usr/bin/python3 scripts/gen_resample_golden.py
"""

import json
import pathlib
import sys

import numpy as np
import PIL
from PIL import Image

EXPECTED_PILLOW = "9.4"
OUTPUT_DIR = pathlib.Path(__file__).resolve().parent.parent / "tests" / "golden" / "resample"

FILTERS = {
    "nearest": Image.Resampling.NEAREST,
    "bilinear": Image.Resampling.BILINEAR,
    "bicubic": Image.Resampling.BICUBIC,
    "box": Image.Resampling.BOX,
    "hamming": Image.Resampling.HAMMING,
    "lanczos": Image.Resampling.LANCZOS,
}

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK64 = (1 << 64) - 1


def fnv1a64(data: bytes) -> str:
    h = FNV_OFFSET
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & MASK64
    return f"{h:016x}"


def make_pixels(width: int, height: int, channels: int, seed: int) -> np.ndarray:
    """Gradients plus noise plus saturated blocks, so negative lobes and clipping get exercised."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    planes = []
    for c in range(channels):
        angle = 0.7 + 1.3 * c
        ramp = (np.cos(angle) * x / max(width, 1) + np.sin(angle) * y / max(height, 1)) * 200.0 + 28.0
        noise_amplitude = rng.uniform(10.0, 60.0)
        plane = ramp + rng.normal(0.0, noise_amplitude, size=(height, width))
        planes.append(plane)
    pixels = np.clip(np.stack(planes, axis=-1), 0, 255)

    # Saturated rectangles and a checkerboard stripe give sharp 0/255 edges.
    for _ in range(3):
        x0, x1 = sorted(rng.integers(0, width + 1, size=2))
        y0, y1 = sorted(rng.integers(0, height + 1, size=2))
        pixels[y0:y1, x0:x1, :] = rng.choice([0.0, 255.0])
    checker = ((x.astype(int) // 2 + y.astype(int) // 2) % 2 == 0) * 255.0
    stripe = (x >= width * 0.4) & (x < width * 0.55)
    pixels[stripe] = checker[stripe][:, None]

    if channels == 4:
        alpha = pixels[..., 3]
        alpha[(x.astype(int) + 3 * y.astype(int)) % 7 == 0] = 0.0
        alpha[(2 * x.astype(int) + y.astype(int)) % 5 == 0] = 255.0
    return np.rint(pixels).astype(np.uint8)


# (name, mode, width, height); name also fixes the generator seed.
INPUTS = [
    ("l_1x1", "L", 1, 1),
    ("rgb_1x1", "RGB", 1, 1),
    ("rgba_1x1", "RGBA", 1, 1),
    ("rgb_2x3", "RGB", 2, 3),
    ("l_2x3", "L", 2, 3),
    ("l_17x23", "L", 17, 23),
    ("rgb_17x23", "RGB", 17, 23),
    ("rgba_17x23", "RGBA", 17, 23),
    ("l_64x48", "L", 64, 48),
    ("rgb_64x48", "RGB", 64, 48),
    ("rgba_64x48", "RGBA", 64, 48),
    ("rgb_300x200", "RGB", 300, 200),
    ("rgba_120x90", "RGBA", 120, 90),
    ("l_3000x6", "L", 3000, 6),
    ("rgb_2400x5", "RGB", 2400, 5),
    ("rgb_7x900", "RGB", 7, 900),
]

MODE_CHANNELS = {"L": 1, "RGB": 3, "RGBA": 4}


def target_sizes(width: int, height: int) -> list:
    def clamp(v):
        return max(1, int(round(v)))

    sizes = [
        (width, height),
        (1, 1),
        (clamp(width * 2 + 1), clamp(height * 3)),
        (clamp(width * 1.37), clamp(height * 1.81)),
        (clamp(width / 2), clamp(height / 2)),
        (clamp(width / 3), clamp(height / 4)),
        (clamp(width / 1.7), clamp(height / 2.3)),
        (clamp(width / 10), clamp(height / 13)),
        (clamp(width / 37.5), clamp(height / 11.2)),
        (width, clamp(height / 3)),
        (clamp(width * 2 / 3), height),
        (width, clamp(height * 2.5)),
        (clamp(width * 1.5), height),
        (clamp(width * 2), clamp(height / 3)),
        (width + 1, max(1, height - 1)),
        (1, height),
        (width, 1),
    ]
    shorter = min(width, height)
    for s in (146, 183, 219, 256):
        if shorter >= 16:
            if width <= height:
                sizes.append((s, int(s * height / width)))
            else:
                sizes.append((int(s * width / height), s))
    max_pixels = 400_000
    unique = []
    for size in sizes:
        if size not in unique and size[0] * size[1] <= max_pixels:
            unique.append(size)
    return unique


def main() -> int:
    version = PIL.__version__
    if not version.startswith(EXPECTED_PILLOW + "."):
        print(f"error: Pillow {version}; the goldens must come from Pillow {EXPECTED_PILLOW}", file=sys.stderr)
        return 1

    inputs_dir = OUTPUT_DIR / "inputs"
    inputs_dir.mkdir(parents=True, exist_ok=True)
    for stale in inputs_dir.glob("*.png"):
        stale.unlink()

    manifest_inputs = []
    cases = []
    total_pixels = 0
    for seed, (name, mode, width, height) in enumerate(INPUTS):
        pixels = make_pixels(width, height, MODE_CHANNELS[mode], seed + 1)
        image = Image.fromarray(pixels[..., 0] if mode == "L" else pixels, mode)
        file_name = f"{name}.png"
        image.save(inputs_dir / file_name, format="PNG", optimize=True)
        reread = Image.open(inputs_dir / file_name)
        assert reread.mode == mode and reread.tobytes() == image.tobytes()
        manifest_inputs.append({
            "name": name,
            "file": f"inputs/{file_name}",
            "mode": mode,
            "width": width,
            "height": height,
            "fnv1a64": fnv1a64(image.tobytes()),
        })
        for size in target_sizes(width, height):
            for filter_name, resample in FILTERS.items():
                out = image.resize(size, resample)
                assert out.mode == mode and out.size == size
                cases.append({
                    "input": name,
                    "filter": filter_name,
                    "width": size[0],
                    "height": size[1],
                    "channels": MODE_CHANNELS[mode],
                    "fnv1a64": fnv1a64(out.tobytes()),
                })
                total_pixels += size[0] * size[1]

    manifest = {
        "description": "FNV-1a 64-bit hashes of Pillow Image.resize(size, filter) output bytes, row-major HWC",
        "generator": "scripts/gen_resample_golden.py",
        "pillow_version": version,
        "inputs": manifest_inputs,
        "cases": cases,
    }
    with open(OUTPUT_DIR / "manifest.json", "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"wrote {len(manifest_inputs)} inputs, {len(cases)} cases, {total_pixels} output pixels to {OUTPUT_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
