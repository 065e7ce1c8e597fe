#!/usr/bin/env python3
"""Golden results tables for the sweep test: the Python reference on every model x test set, then
timm's results/generate_csv_results.py step.

    /usr/bin/python3 scripts/gen_sweep_golden.py --models sample/models --out tests/golden/sweep/sample
    /usr/bin/python3 scripts/gen_sweep_golden.py --models ../shared/models --out tests/golden/sweep/shared

The data root (default tests/fixtures/sets) is searched for the folders scripts/sweep.sh looks for.
generate_csv_results.py needs pandas, which the reference interpreter lacks, so its step is re-written
here with pandas' read_csv typing (int, float, text columns) and to_csv(float_format='%.3f') output.
Two deliberate differences from its text: rows are matched by model and img_size (timm matches by model
only), and both tables are sorted before ranks and base rows are taken (timm takes the test table's
file order and looks up the base by sorted position as a label, which agrees only on sorted files).
"""
import argparse
import csv
import io
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_validate as ref  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (preset, candidate folders under the data root) in the order scripts/sweep.sh runs them.
DATASETS = [
    ('imagenet', ['imagenet']),
    ('imagenet-real', ['imagenet']),
    ('imagenetv2', ['imagenetv2-matched-frequency-format-val', 'imagenetv2-matched-frequency', 'imagenetv2']),
    ('sketch', ['imagenet-sketch', 'sketch']),
    ('imagenet-a', ['imagenet-a']),
    ('imagenet-r', ['imagenet-r']),
    ('imagenet-a-clean', ['imagenet']),
    ('imagenet-r-clean', ['imagenet']),
]
RESULTS_FILE = {
    'imagenet': 'results-imagenet.csv', 'imagenet-real': 'results-imagenet-real.csv',
    'imagenetv2': 'results-imagenetv2-matched-frequency.csv', 'sketch': 'results-sketch.csv',
    'imagenet-a': 'results-imagenet-a.csv', 'imagenet-r': 'results-imagenet-r.csv',
    'imagenet-a-clean': 'results-imagenet-a-clean.csv', 'imagenet-r-clean': 'results-imagenet-r-clean.csv',
}
GROUPS = {
    'results-imagenet.csv': ['results-imagenet-real.csv', 'results-imagenetv2-matched-frequency.csv', 'results-sketch.csv'],
    'results-imagenet-a-clean.csv': ['results-imagenet-a.csv'],
    'results-imagenet-r-clean.csv': ['results-imagenet-r.csv'],
}


def number(s):
    try:
        return float(s.replace(',', ''))
    except ValueError:
        return None


def read_table(header, rows):
    """pandas.read_csv typing: all ints -> int, numbers and blanks -> float (blank = NaN), else text."""
    columns = {}
    for c, name in enumerate(header):
        cells = [r[c] for r in rows]
        if any(cell and number(cell) is None for cell in cells) or not any(cells):
            columns[name] = ('text', cells)
        elif all(cell and all(ch.isdigit() or ch == '-' for ch in cell) for cell in cells):
            columns[name] = ('int', [int(cell) for cell in cells])
        else:
            columns[name] = ('float', [number(cell) if cell else float('nan') for cell in cells])
    return header, columns, len(rows)


def sorted_order(columns, n):
    top1, top5, model = columns['top1'][1], columns['top5'][1], columns['model'][1]
    return sorted(range(n), key=lambda i: (-top1[i], -top5[i], model[i]))


def signed(d):
    return '+%.3f' % d if d >= 0 else '-%.3f' % abs(d)


def publish(table, base=None):
    header, columns, n = table
    header = list(header)
    order = sorted_order(columns, n)
    extra = {}
    if base is not None:
        b_header, b_columns, b_n = base
        b_order = sorted_order(b_columns, b_n)
        b_keys = [(b_columns['model'][1][i], b_columns['img_size'][1][i]) for i in b_order]
        d1, d5, dr = [''] * n, [''] * n, [''] * n
        for rank, i in enumerate(order):
            key = (columns['model'][1][i], columns['img_size'][1][i])
            if key not in b_keys:
                continue
            base_rank = b_keys.index(key)
            j = b_order[base_rank]
            d1[i] = signed(columns['top1'][1][i] - b_columns['top1'][1][j])
            d5[i] = signed(columns['top5'][1][i] - b_columns['top5'][1][j])
            dr[i] = '0' if rank == base_rank else ('-%d' % (rank - base_rank) if rank > base_rank else '+%d' % (base_rank - rank))
        extra = {'top1_diff': d1, 'top5_diff': d5, 'rank_diff': dr}
        header += [h for h in extra if h not in header]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator='\n')
    w.writerow(header)
    for i in order:
        row = []
        for name in header:
            if name in extra:
                row.append(extra[name][i])
                continue
            kind, values = columns[name]
            v = values[i]
            if name == 'param_count' and kind != 'text':
                row.append('{:,.2f}'.format(v))
            elif kind == 'float':
                row.append('' if v != v else '%.3f' % v)
            else:
                row.append(str(v))
        w.writerow(row)
    return buf.getvalue()


def generate(raw):
    """raw: {results file: (header, rows)} -> {results file: published text}."""
    out = {}
    for base_name, tests in GROUPS.items():
        base = read_table(*raw[base_name]) if base_name in raw else None
        for name in tests:
            if name in raw:
                out[name] = publish(read_table(*raw[name]), base)
        if base is not None:
            out[base_name] = publish(base)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--models', required=True, help='folder of TorchScript .pt models')
    p.add_argument('--data', default=os.path.join(REPO, 'tests', 'fixtures', 'sets'))
    p.add_argument('--out', required=True)
    args = p.parse_args()
    models = sorted(f for f in os.listdir(args.models) if f.endswith('.pt'))
    raw = {}
    for preset, candidates in DATASETS:
        folder = next((os.path.join(args.data, c) for c in candidates if os.path.isdir(os.path.join(args.data, c))), None)
        if folder is None:
            continue
        for model in models:
            ref_args = ref.parse_args(['--model', os.path.join(args.models, model), '--data', folder,
                                       '--dataset', preset, '--workers', '0', '--quiet', '--no-warmup'])
            results = ref.run_reference(ref_args)['results']
            header, rows = raw.setdefault(RESULTS_FILE[preset], (list(results.keys()), []))
            rows.append([str(v) for v in results.values()])
            print(preset, model, results['top1'], results['top5'], flush=True)
    os.makedirs(args.out, exist_ok=True)
    for name, text in generate(raw).items():
        with open(os.path.join(args.out, name), 'w', newline='') as f:
            f.write(text)


if __name__ == '__main__':
    main()
