#!/usr/bin/python3
"""Craft the decode fixture images in tests/fixtures/images/ and copy real ImageNet samples.

Run with Debian's Python (Pillow 9.4): /usr/bin/python3 scripts/make_fixture_images.py
The output is deterministic for a given Pillow/libjpeg-turbo/zlib, and committed.
"""

import argparse
import ctypes
import ctypes.util
import shutil
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "tests" / "fixtures" / "images"
SAMPLE = REPO.parent / "shared" / "data" / "imagenet-1k-sample"

# Photo the crafted images are derived from, so that they carry real texture.
BASE_PHOTO = "n01443537/n01443537_goldfish.JPEG"

# (sample path, what it exercises) for the copied real photos.
REAL_SAMPLES = [
    ("n01871265/n01871265_tusker.JPEG", "tiny 75x56 4:2:0"),
    ("n03866082/n03866082_overskirt.JPEG", "tiny portrait 68x121 4:2:0"),
    ("n02817516/n02817516_bearskin.JPEG", "small square 95x95 4:4:4"),
    ("n04254120/n04254120_soap_dispenser.JPEG", "odd 135x97 4:2:0"),
    ("n02093647/n02093647_Bedlington_terrier.JPEG", "odd 213x165 4:2:0"),
    ("n03804744/n03804744_nail.JPEG", "grayscale 183x280"),
    ("n02692877/n02692877_airship.JPEG", "grayscale wide 350x156"),
    ("n03992509/n03992509_potter's_wheel.JPEG", "grayscale 500x333, apostrophe in name"),
    ("n02865351/n02865351_bolo_tie.JPEG", "4:2:2 (h2v1) 243x240"),
    ("n02100877/n02100877_Irish_setter.JPEG", "4:2:2 363x287, EXIF orientation 1"),
    ("n01443537/n01443537_goldfish.JPEG", "4:4:4 376x263"),
    ("n02128925/n02128925_jaguar.JPEG", "odd 437x371 4:2:0"),
    ("n02102480/n02102480_Sussex_spaniel.JPEG", "456x300 4:2:0, EXIF"),
    ("n02098105/n02098105_soft-coated_wheaten_terrier.JPEG", "640x480 4:2:0, EXIF"),
    ("n01749939/n01749939_green_mamba.JPEG", "445x303 4:4:4 with ICC profile (not applied)"),
    ("n03733805/n03733805_measuring_cup.JPEG", "large 1200x900 4:2:0"),
]


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def write_png(path, rows, width, height, bit_depth, color_type, extra_chunks=()):
    """Minimal PNG writer for bit depths / types Pillow cannot save (2-bit, 4-bit gray, 16-bit LA)."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)
    data = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
    for kind, payload in extra_chunks:
        data += png_chunk(kind, payload)
    data += png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b"")
    path.write_bytes(data)


def pack_bits(values, bit_depth):
    per_byte = 8 // bit_depth
    padded = list(values) + [0] * (-len(values) % per_byte)
    out = bytearray()
    for i in range(0, len(padded), per_byte):
        byte = 0
        for v in padded[i:i + per_byte]:
            byte = (byte << bit_depth) | v
        out.append(byte)
    return bytes(out)


def gradient(width, height):
    y, x = np.mgrid[0:height, 0:width]
    return x, y


def write_ycck_jpeg(path, cmyk_image, quality):
    """Pillow cannot write YCCK; TurboJPEG does whenever it compresses CMYK pixels."""
    turbojpeg = ctypes.CDLL(ctypes.util.find_library("turbojpeg"))
    turbojpeg.tjInitCompress.restype = ctypes.c_void_p
    turbojpeg.tjCompress2.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                      ctypes.c_int, ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_ulong),
                                      ctypes.c_int, ctypes.c_int, ctypes.c_int]
    turbojpeg.tjFree.argtypes = [ctypes.c_void_p]
    turbojpeg.tjDestroy.argtypes = [ctypes.c_void_p]
    tjpf_cmyk, tjsamp_420 = 11, 2
    handle = turbojpeg.tjInitCompress()
    buffer, size = ctypes.c_void_p(), ctypes.c_ulong()
    width, height = cmyk_image.size
    adobe_inverted_inks = (255 - np.asarray(cmyk_image)).tobytes()
    status = turbojpeg.tjCompress2(handle, adobe_inverted_inks, width, 0, height, tjpf_cmyk,
                                   ctypes.byref(buffer), ctypes.byref(size), tjsamp_420, quality, 0)
    assert status == 0, "tjCompress2 failed"
    path.write_bytes(ctypes.string_at(buffer, size.value))
    turbojpeg.tjFree(buffer)
    turbojpeg.tjDestroy(handle)


def make_jpegs(photo, notes):
    photo.save(OUT / "jpeg_rgb_420.jpg", quality=85, subsampling=2)
    notes["jpeg_rgb_420.jpg"] = "RGB JPEG, 4:2:0"
    photo.save(OUT / "jpeg_rgb_422.jpg", quality=85, subsampling=1)
    notes["jpeg_rgb_422.jpg"] = "RGB JPEG, 4:2:2"
    photo.save(OUT / "jpeg_rgb_444.jpg", quality=95, subsampling=0)
    notes["jpeg_rgb_444.jpg"] = "RGB JPEG, 4:4:4, quality 95"
    photo.save(OUT / "jpeg_progressive.jpg", quality=80, progressive=True)
    notes["jpeg_progressive.jpg"] = "progressive RGB JPEG"
    photo.save(OUT / "jpeg_optimized.jpg", quality=75, optimize=True)
    notes["jpeg_optimized.jpg"] = "optimized Huffman tables"
    photo.convert("L").save(OUT / "jpeg_gray.jpg", quality=90)
    notes["jpeg_gray.jpg"] = "grayscale (1-component) JPEG, replicated to RGB"
    photo.convert("CMYK").save(OUT / "jpeg_cmyk.jpg", quality=90)
    notes["jpeg_cmyk.jpg"] = "CMYK JPEG with Adobe marker (inverted inks, Pillow's cmyk2rgb)"

    write_ycck_jpeg(OUT / "jpeg_ycck.jpg", photo.convert("CMYK"), 90)
    notes["jpeg_ycck.jpg"] = "YCCK JPEG (Adobe transform 2), read by Pillow as inverted CMYK"

    exif = Image.Exif()
    exif[0x0112] = 6
    photo.crop((0, 0, 300, 200)).save(OUT / "jpeg_exif_orientation6.jpg", quality=85, exif=exif.tobytes())
    notes["jpeg_exif_orientation6.jpg"] = "EXIF orientation 6 (must NOT be rotated)"

    photo.resize((17, 23), Image.BICUBIC).save(OUT / "jpeg_17x23.jpg", quality=90)
    notes["jpeg_17x23.jpg"] = "tiny odd-sized JPEG, partial MCUs"

    photo.resize((3000, 200), Image.BICUBIC).save(OUT / "jpeg_3000x200.jpg", quality=60)
    notes["jpeg_3000x200.jpg"] = "extreme aspect ratio 15:1"

    large = photo.resize((400, 300), Image.BICUBIC).filter(ImageFilter.GaussianBlur(2))
    large = large.resize((4000, 3000), Image.BICUBIC)
    large.save(OUT / "jpeg_4000x3000.jpg", quality=30)
    notes["jpeg_4000x3000.jpg"] = "12 MP JPEG (smooth content, quality 30)"

    clean = (OUT / "jpeg_rgb_420.jpg").read_bytes()
    assert clean.endswith(b"\xff\xd9")
    last_scan = clean.rfind(b"\xff\xda")
    extraneous = clean[:last_scan] + b"\x00\x01\x02" + clean[last_scan:]
    (OUT / "jpeg_extraneous_bytes.jpg").write_bytes(extraneous)
    notes["jpeg_extraneous_bytes.jpg"] = "junk before SOS: libjpeg warns, Pillow decodes (warning is not an error)"
    middle = len(clean) * 3 // 5
    corrupt = bytearray(clean)
    corrupt[middle:middle + 40] = b"\xa5\x5a" * 20
    (OUT / "jpeg_corrupt_scan.jpg").write_bytes(bytes(corrupt))
    notes["jpeg_corrupt_scan.jpg"] = "garbled entropy-coded data: libjpeg recovers, Pillow decodes the same garbage"
    (OUT / "error_truncated_after_warning.jpg").write_bytes(extraneous[: len(extraneous) // 2])
    notes["error_truncated_after_warning.jpg"] = (
        "truncated JPEG whose first libjpeg warning is an unrelated one (error: truncated)")
    (OUT / "jpeg_trailing_bytes.jpg").write_bytes(clean + b"trailing garbage after EOI\n" * 4)
    notes["jpeg_trailing_bytes.jpg"] = "junk bytes after EOI (ignored)"


def make_pngs(photo, notes):
    small = photo.resize((96, 64), Image.BICUBIC)
    rgb = np.asarray(small)
    x, y = gradient(96, 64)

    small.save(OUT / "png_rgb.png")
    notes["png_rgb.png"] = "8-bit RGB PNG"

    alpha = ((x * 255) // 95).astype(np.uint8)
    alpha[:8] = 0  # fully transparent rows whose colour must survive (no blending)
    Image.fromarray(np.dstack([rgb, alpha]), "RGBA").save(OUT / "png_rgba.png")
    notes["png_rgba.png"] = "RGBA PNG with varied alpha incl. 0, alpha dropped without blending"

    gray = np.asarray(small.convert("L"))
    Image.fromarray(np.dstack([gray, 255 - alpha]), "LA").save(OUT / "png_la.png")
    notes["png_la.png"] = "gray+alpha (LA) PNG"

    gray_image = Image.fromarray(gray, "L")
    gray_image.save(OUT / "png_gray.png")
    notes["png_gray.png"] = "8-bit grayscale PNG"
    gray_image.save(OUT / "png_gray_trns.png", transparency=int(gray[0, 0]))
    notes["png_gray_trns.png"] = "8-bit grayscale PNG with tRNS"

    small.save(OUT / "png_rgb_trns.png", transparency=tuple(int(v) for v in rgb[0, 0]))
    notes["png_rgb_trns.png"] = "RGB PNG with tRNS colour key"

    palette_image = small.quantize(colors=200, method=Image.MEDIANCUT, dither=Image.NONE)
    palette_image.save(OUT / "png_palette.png")
    notes["png_palette.png"] = "8-bit palette PNG"
    palette_image.save(OUT / "png_palette_trns.png", transparency=bytes((i * 37) % 256 for i in range(200)))
    notes["png_palette_trns.png"] = "palette PNG with per-entry tRNS alpha"
    small.quantize(colors=16, method=Image.MEDIANCUT, dither=Image.NONE).save(OUT / "png_palette_4bit.png", bits=4)
    notes["png_palette_4bit.png"] = "4-bit palette PNG"

    rgb16 = (np.dstack([x * 690, y * 1040, (x + y) * 415]) + 37).astype(">u2")
    write_png(OUT / "png_rgb16.png", [row.tobytes() for row in rgb16], 96, 64, 16, 2)
    notes["png_rgb16.png"] = "16-bit RGB PNG, Pillow keeps the high byte"

    gray16 = (x * 5 + y * 3).astype(">u2")  # 0..664: values above 255 clip in Pillow's I->RGB
    write_png(OUT / "png_gray16.png", [row.tobytes() for row in gray16], 96, 64, 16, 0)
    notes["png_gray16.png"] = "16-bit grayscale PNG with values 0..664 (mode I, clipped at 255)"

    la16 = np.dstack([x * 690 + 5, y * 1000]).astype(">u2")
    write_png(OUT / "png_la16.png", [row.tobytes() for row in la16], 96, 64, 16, 4)
    notes["png_la16.png"] = "16-bit gray+alpha PNG"

    bilevel = gray_image.point(lambda v: 255 if v > 100 else 0).convert("1", dither=Image.NONE)
    bilevel.save(OUT / "png_1bit.png")
    notes["png_1bit.png"] = "1-bit grayscale PNG"
    for bit_depth in (2, 4):
        levels = (1 << bit_depth) - 1
        rows = [pack_bits(((gray[r].astype(int) * levels + 127) // 255).tolist(), bit_depth) for r in range(64)]
        name = f"png_gray_{bit_depth}bit.png"
        write_png(OUT / name, rows, 96, 64, bit_depth, 0)
        notes[name] = f"{bit_depth}-bit grayscale PNG, scaled to 0..255"

    small.save(OUT / "png_named_as.JPEG", format="PNG")
    notes["png_named_as.JPEG"] = "PNG content with a .JPEG extension (format sniffed from content)"


def make_errors(notes):
    (OUT / "error_empty.jpg").write_bytes(b"")
    notes["error_empty.jpg"] = "zero bytes (error)"
    (OUT / "error_text.jpg").write_bytes(b"This is not an image, just text named .jpg\n")
    notes["error_text.jpg"] = "text file with a .jpg name (error: unknown format)"
    clean = (OUT / "jpeg_rgb_420.jpg").read_bytes()
    (OUT / "error_truncated.jpg").write_bytes(clean[: len(clean) // 2])
    notes["error_truncated.jpg"] = "baseline JPEG cut in half (error: truncated)"
    (OUT / "error_missing_eoi.jpg").write_bytes(clean[:-2])
    notes["error_missing_eoi.jpg"] = "complete scan data but no EOI marker (error: Pillow reports it truncated)"
    progressive = (OUT / "jpeg_progressive.jpg").read_bytes()
    (OUT / "error_truncated_progressive.jpg").write_bytes(progressive[: len(progressive) * 2 // 3])
    notes["error_truncated_progressive.jpg"] = "progressive JPEG cut at 2/3 (error: truncated)"
    png = (OUT / "png_rgb.png").read_bytes()
    (OUT / "error_truncated.png").write_bytes(png[: len(png) // 2])
    notes["error_truncated.png"] = "PNG cut in half (error: truncated)"


def copy_real(notes):
    real = OUT / "real"
    real.mkdir(parents=True, exist_ok=True)
    for sample, what in REAL_SAMPLES:
        name = Path(sample).name
        shutil.copyfile(SAMPLE / sample, real / name)
        notes[f"real/{name}"] = f"{what}; copy of imagenet-1k-sample/{sample}"


def write_readme(notes):
    lines = [
        "# Decode fixture images",
        "",
        "Generated by `scripts/make_fixture_images.py` (crafted from "
        f"imagenet-1k-sample/{BASE_PHOTO} unless noted); `real/` holds unmodified ImageNet sample copies.",
        "Expected Pillow results are in `tests/golden/decode.json` (`scripts/gen_decode_golden.py`).",
        "",
    ]
    lines += [f"- `{name}`: {what}" for name, what in sorted(notes.items())]
    (OUT / "README.md").write_text("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    photo = Image.open(SAMPLE / BASE_PHOTO).convert("RGB")
    notes = {}
    make_jpegs(photo, notes)
    make_pngs(photo, notes)
    make_errors(notes)
    copy_real(notes)
    write_readme(notes)
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"wrote {len(notes)} fixtures, {total / 1e6:.2f} MB, to {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
