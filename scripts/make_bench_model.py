#!/usr/bin/env python3
"""Writes a scripted torchvision resnet50 with random weights (seed 0) and timm's config.json
as its TorchScript extra file, for scripts/bench.sh. Run with Debian's python:

    /usr/bin/python3 scripts/make_bench_model.py OUT.pt
"""
import json
import sys

import torch
import torchvision

torch.manual_seed(0)
model = torchvision.models.resnet50().eval()
config = {"architecture": "resnet50", "num_classes": 1000,
          "pretrained_cfg": {"input_size": [3, 224, 224], "crop_pct": 0.875, "interpolation": "bilinear",
                             "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "crop_mode": "center"}}
torch.jit.save(torch.jit.script(model), sys.argv[1], _extra_files={"config.json": json.dumps(config)})
