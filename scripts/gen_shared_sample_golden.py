#!/usr/bin/env python3
"""Write tests/golden/shared_sample/: the Python reference's numbers for every model in ../shared/models.

Evaluates each ../shared/models/<model>.pt on ../shared/data/imagenet-1k-sample (1000 images) with
scripts/reference_validate.py's run_reference (batch size 64, the model's own data config) and writes

  tests/golden/shared_sample/<model>.predictions.csv  the reference's --predictions-file output
  tests/golden/shared_sample/<model>.json             image count, correct counts, the printed
                                                      ' * Acc@1 ...' line and its top-1/top-5 strings

tests/test_shared_sample.cpp runs imeval on the same data and compares. Paths in the golden files
are relative to the shared folder. Run with Debian's interpreter (torch 1.13, torchvision 0.14,
Pillow 9.4; timm not needed):

    /usr/bin/python3 scripts/gen_shared_sample_golden.py [--shared-dir ../shared]
"""
import argparse
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import reference_validate as ref  # noqa: E402

OUT_DIR = REPO / "tests" / "golden" / "shared_sample"
DATA = "data/imagenet-1k-sample"
BATCH_SIZE = "64"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared-dir", type=Path, default=REPO.parent / "shared",
                        help="shared assets folder with models/ and data/ (default: ../shared)")
    parser.add_argument("--workers", default="2", help="reference decode workers (does not change the numbers)")
    options = parser.parse_args()
    shared = options.shared_dir.resolve()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for model_path in sorted((shared / "models").glob("*.pt")):
        name = model_path.stem
        relative_args = ["--model", f"models/{model_path.name}", "--data", DATA, "--batch-size", BATCH_SIZE]
        args = ref.parse_args(["--model", str(model_path), "--data", str(shared / DATA),
                               "--batch-size", BATCH_SIZE, "--workers", options.workers])
        args.quiet = True
        predictions_path = OUT_DIR / f"{name}.predictions.csv"
        args.predictions_file = str(predictions_path)
        out = ref.run_reference(args)
        results = out["results"]
        golden = {
            "model": name,
            "args": relative_args,
            "num_images": out["num_images"],
            "correct_top1": out["correct1"],
            "correct_top5": out["correct5"],
            "top1_str": "%.3f" % results["top1"],
            "top5_str": "%.3f" % results["top5"],
            "acc_line": out["acc_line"],
            "data_config": {k: list(v) if isinstance(v, tuple) else v for k, v in out["data_config"].items()},
        }
        with open(OUT_DIR / f"{name}.json", "w", encoding="utf-8", newline="\n") as f:
            json.dump(golden, f, indent=2)
            f.write("\n")
        print(f"{name:24s}{out['acc_line']}", flush=True)


if __name__ == "__main__":
    os.chdir(REPO)
    main()
