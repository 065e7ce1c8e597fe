#!/usr/bin/python3
"""Craft the bad models and images in tests/fixtures/faults/ used by tests/test_faults_*.cpp.

Run with Debian's Python (torch 1.13, Pillow 9.4): /usr/bin/python3 scripts/make_fault_fixtures.py
The models hold no parameters, so the files stay small; the output is committed.
"""

import random
import struct
import zlib
from pathlib import Path
from typing import Tuple

import torch

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "faults"


class FailsUnlessSize64(torch.nn.Module):
    """Flattens to a fixed size, as a classifier head built for 64x64 inputs would."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        flat = x.reshape(x.shape[0], 3 * 64 * 64)
        return flat[:, :1000]


class Output3d(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.zeros(x.shape[0], 1000, 1)


class TupleOfInts(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> Tuple[int, int]:
        return (x.shape[0], 1000)


class TenOutputs(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.mean(dim=(2, 3)).repeat(1, 4)[:, :10]


class NonFiniteLogits(torch.nn.Module):
    """Class 0 is NaN and class 1 is +inf for every image."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        logits = torch.zeros(x.shape[0], 1000)
        logits[:, 0] = float("nan")
        logits[:, 1] = float("inf")
        return logits


class Slow(torch.nn.Module):
    """About 35 ms of matrix products per image on one thread (under a second per 16-image chunk), so
    that a run lasts long enough to be interrupted while each forward call stays short."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = torch.ones(600, 600) / 600.0
        m = w
        for _ in range(8 * x.shape[0]):
            m = m @ w  # stays 1/600 everywhere, up to rounding
        return torch.zeros(x.shape[0], 1000) + m[0, 0]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def one_bit_png(width: int, height: int, rows_present: int) -> bytes:
    """A black 1-bit grayscale PNG; rows_present < height gives a truncated image data stream."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    idat = zlib.compress(row * rows_present, 9)
    if rows_present < height:
        idat = idat[: len(idat) // 2]
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    models = {
        "fails_unless_64px.pt": FailsUnlessSize64(),
        "output_3d.pt": Output3d(),
        "tuple_of_ints.pt": TupleOfInts(),
        "ten_outputs.pt": TenOutputs(),
        "nonfinite_logits.pt": NonFiniteLogits(),
        "slow.pt": Slow(),
    }
    for name, module in models.items():
        torch.jit.save(torch.jit.script(module), str(OUT / name))
    torch.save({"fc.weight": torch.zeros(2, 2), "fc.bias": torch.zeros(2)}, str(OUT / "state_dict.pt"))
    (OUT / "random_bytes.pt").write_bytes(random.Random(0).randbytes(4096))

    # 20000 x 10000 = 200 M pixels: over twice Pillow's MAX_IMAGE_PIXELS, refused before decoding.
    (OUT / "bomb_200mp.png").write_bytes(one_bit_png(20000, 10000, 1))
    # 9500 x 9500 = 90.25 M pixels: over MAX_IMAGE_PIXELS once, Pillow warns and decodes.
    (OUT / "large_90mp.png").write_bytes(one_bit_png(9500, 9500, 9500))


if __name__ == "__main__":
    main()
