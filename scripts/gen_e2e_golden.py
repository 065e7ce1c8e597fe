#!/usr/bin/env python3
"""Regenerates the end-to-end golden files in tests/golden/e2e/ from the Python reference.

Run from the repository root with Debian's interpreter (torch 1.13, torchvision 0.14, Pillow 9.4;
timm is NOT needed):

    /usr/bin/python3 scripts/gen_e2e_golden.py            # writes tests/golden/e2e/*
    /usr/bin/python3 scripts/gen_e2e_golden.py --check    # exit 1 if the files would change

Every variant evaluates sample/models/tf_mobilenetv1_025_128.pt on the bundled sample
sample/images (101 ImageNet JPEGs, one synset folder each) with --class-map
data/imagenet_synsets.txt (timm's --class-map: the 101 folders get their ImageNet-1k indices; without
it timm would number them 0..100), batch size 64, through scripts/reference_validate.py's
run_reference() in this process.  For variant V it writes

  tests/golden/e2e/V.json             args, data config, #images, top-1/top-5 (timm's batch-averaged
                                      value, the exact count-based value, both at full precision and
                                      as the '%.3f' strings validate.py prints), the ' * Acc@1 ...'
                                      line, the results dict and the exact results-CSV text
                                      (validate.py --results-file, '\\r\\n' line ends)
  tests/golden/e2e/V.predictions.csv  reference_validate.py --predictions-file output ('\\r\\n' line ends)

The output is deterministic (no timings are stored).  The same numbers come from, e.g.

  /usr/bin/python3 scripts/reference_validate.py --model sample/models/tf_mobilenetv1_025_128.pt \\
      --data sample/images --class-map data/imagenet_synsets.txt <variant args> \\
      --predictions-file V.predictions.csv --results-file V.results.csv
"""
import argparse
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import reference_validate as ref  # noqa: E402

MODEL = 'sample/models/tf_mobilenetv1_025_128.pt'
DATA = 'sample/images'
CLASS_MAP = 'data/imagenet_synsets.txt'
OUT_DIR = 'tests/golden/e2e'

# name -> extra command-line arguments; each exercises a different transform path.
VARIANTS = [
    # model's config.json: 128, crop 0.875, bilinear, center, mean = std = 0.5 -> Resize(146) + CenterCrop(128)
    ('default', []),
    # squash: Resize((146, 146)) ignoring aspect ratio + CenterCrop, bicubic filter
    ('squash_bicubic', ['--crop-mode', 'squash', '--interpolation', 'bicubic']),
    # border: ResizeKeepRatio(longest) to 128 + CenterCropOrPad with fill round(255*mean) = (125, 128, 130)
    # (Python round: 124.95 -> 125, 127.5 -> 128, 130.05 -> 130); lanczos; mean/std slightly off 0.5 so
    # that mean*255 and std*255 are not exact in float32 while the model still works
    ('border_lanczos', ['--crop-mode', 'border', '--crop-pct', '1.0', '--interpolation', 'lanczos',
                        '--mean', '0.49', '0.5', '0.51', '--std', '0.48', '0.5', '0.52']),
    # larger than the native size, no crop margin, nearest filter
    ('nearest_160_full', ['--img-size', '160', '--crop-pct', '1.0', '--interpolation', 'nearest']),
    # non-square input: center mode takes timm's ResizeKeepRatio path (shortest side), hamming filter
    ('nonsquare_hamming', ['--input-size', '3', '112', '144', '--crop-pct', '0.9', '--interpolation', 'hamming']),
]


def base_args():
    return ['--model', MODEL, '--data', DATA, '--class-map', CLASS_MAP, '--batch-size', '64', '--workers', '0']


def generate(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name, extra in VARIANTS:
        argv = base_args() + extra
        args = ref.parse_args(argv)
        args.quiet = True
        pred_path = os.path.join(out_dir, name + '.predictions.csv')
        args.predictions_file = pred_path
        out = ref.run_reference(args)
        res = out['results']
        golden = {
            'variant': name,
            'args': argv,
            'command': '/usr/bin/python3 scripts/reference_validate.py ' + ' '.join(argv),
            'num_images': out['num_images'],
            'param_count': out['param_count'],
            'data_config': {k: list(v) if isinstance(v, tuple) else v for k, v in out['data_config'].items()},
            'correct_top1': out['correct1'],
            'correct_top5': out['correct5'],
            'top1': out['top1_avg'],
            'top5': out['top5_avg'],
            'top1_exact': out['top1_exact'],
            'top5_exact': out['top5_exact'],
            'top1_str': '%.3f' % res['top1'],
            'top5_str': '%.3f' % res['top5'],
            'acc_line': out['acc_line'],
            'results': res,
            'results_csv': ref.results_csv_text(res),
            'predictions_csv': OUT_DIR + '/' + name + '.predictions.csv',
        }
        with open(os.path.join(out_dir, name + '.json'), 'w', encoding='utf-8', newline='\n') as f:
            json.dump(golden, f, indent=2)
            f.write('\n')
        print('%-18s %s' % (name, out['acc_line']))


def main():
    p = argparse.ArgumentParser(description='regenerate tests/golden/e2e')
    p.add_argument('--check', action='store_true', help='compare with the committed files instead of writing')
    a = p.parse_args()
    os.chdir(REPO)  # all paths in the golden files are relative to the repository root
    if not a.check:
        generate(OUT_DIR)
        return
    with tempfile.TemporaryDirectory() as tmp:
        generate(tmp)
        bad = []
        for fn in sorted(os.listdir(tmp)):
            with open(os.path.join(tmp, fn), 'rb') as f1:
                new = f1.read()
            old_path = os.path.join(OUT_DIR, fn)
            old = open(old_path, 'rb').read() if os.path.exists(old_path) else None
            if new != old:
                bad.append(fn)
        print('golden files differ: %s' % bad if bad else 'golden files up to date')
        sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
