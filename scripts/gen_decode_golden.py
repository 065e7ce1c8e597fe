#!/usr/bin/python3
"""Write tests/golden/decode.json: what Pillow's Image.open(p).convert('RGB') gives per fixture image.

Run with Debian's Python (Pillow 9.4, the reference timm uses):
    /usr/bin/python3 scripts/gen_decode_golden.py
Each decodable image gets width, height and the FNV-1a 64-bit hash of its RGB bytes (row-major HWC);
each image Pillow rejects gets the kind of error instead.
"""

import argparse
import json
from pathlib import Path

import PIL
from PIL import Image, UnidentifiedImageError

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "tests" / "fixtures" / "images"
GOLDEN = REPO / "tests" / "golden" / "decode.json"

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK64 = (1 << 64) - 1


def fnv1a64(data):
    value = FNV_OFFSET
    for byte in data:
        value = ((value ^ byte) * FNV_PRIME) & MASK64
    return f"{value:016x}"


def error_kind(error):
    if isinstance(error, Image.DecompressionBombError):
        return "decompression_bomb"
    if isinstance(error, UnidentifiedImageError):
        return "unidentified"
    if isinstance(error, OSError) and "truncated" in str(error):
        return "truncated"
    return "corrupt"


def describe(path):
    try:
        with Image.open(path) as image:
            rgb = image.convert("RGB")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        return {"error": error_kind(error), "pillow_message": str(error).replace(str(path), path.name)}
    return {"width": rgb.width, "height": rgb.height, "fnv1a64": fnv1a64(rgb.tobytes())}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    Image.LOAD_TRUNCATED_IMAGES = False
    images = {}
    for path in sorted(p for p in IMAGES.rglob("*") if p.is_file() and p.name != "README.md"):
        images[path.relative_to(IMAGES).as_posix()] = describe(path)
    golden = {
        "description": "Pillow Image.open(p).convert('RGB') per file in tests/fixtures/images; "
                       "fnv1a64 over RGB bytes in row-major HWC order",
        "pillow_version": PIL.__version__,
        "images": images,
    }
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps(golden, indent=1, ensure_ascii=False) + "\n")
    errors = sum("error" in entry for entry in images.values())
    print(f"wrote {GOLDEN.relative_to(REPO)}: {len(images) - errors} decodable, {errors} errors")


if __name__ == "__main__":
    main()
