#!/usr/bin/env python3
"""Exports timm models to TorchScript files that imeval evaluates with no per-model flags.

Each model is scripted (torch.jit.script) and saved with timm's Hugging Face config as the
TorchScript extra file config.json, so imeval reads its input size, crop, interpolation, mean and
std from the file itself. Needs timm (scripts/setup_reference.sh installs it into .venv):

    .venv/bin/python scripts/export_timm.py resnet50.a1_in1k convnext_tiny.fb_in1k --out models/
    .venv/bin/python scripts/export_timm.py 'mobilenetv3_*' --out models/        # a wildcard
    .venv/bin/python scripts/export_timm.py --list names.txt --out models/        # one name per line
    .venv/bin/python scripts/export_timm.py resnet50.a1_in1k --checkpoint r50.pth --out models/

Pretrained weights come from the Hugging Face hub (needs `pip install huggingface_hub safetensors`
in the same environment and network access); --checkpoint loads a local state dict instead, and
--no-pretrained keeps the random initialisation (for tests). The output is <out>/<name>.pt, the
name being what the results row will say. Existing files are kept unless --force. Every export is
checked: the scripted module must give the eager model's logits on a random batch.
"""
import argparse
import fnmatch
import json
import os
import sys
import tempfile

import torch


class ExportError(Exception):
    pass


def fail(message):
    print(f'export_timm: error: {message}', file=sys.stderr)
    sys.exit(1)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('models', nargs='*', help='timm model names, with an optional .tag, or wildcards')
    p.add_argument('--list', help='file with one model name or wildcard per line (# starts a comment)')
    p.add_argument('--out', default='models', help='output folder (default: models/)')
    p.add_argument('--checkpoint', help='local state dict to load instead of the pretrained weights (one model only)')
    p.add_argument('--no-pretrained', action='store_true', help='keep the random initialisation (seeded)')
    p.add_argument('--force', action='store_true', help='overwrite existing files')
    p.add_argument('--seed', type=int, default=0, help='seed for --no-pretrained weights and the check batch')
    args = p.parse_args(argv)
    if args.list:
        try:
            with open(args.list, encoding='utf-8') as f:
                args.models += [line.split('#')[0].strip() for line in f if line.split('#')[0].strip()]
        except OSError as e:
            fail(f"cannot read --list '{args.list}': {e.strerror}")
    if not args.models:
        p.error('name at least one model, or --list FILE')
    if args.checkpoint and args.no_pretrained:
        p.error('--checkpoint and --no-pretrained exclude each other')
    if args.checkpoint and not os.path.isfile(args.checkpoint):
        fail(f"--checkpoint '{args.checkpoint}' does not exist")
    return args


def resolve_names(timm, patterns, pretrained):
    """Expands wildcards with timm.list_models; plain names must be models timm knows."""
    names = []
    for pattern in patterns:
        if any(c in pattern for c in '*?['):
            # A pattern naming a tag ('resnet50.*') lists tagged names, with or without pretrained weights.
            found = timm.list_models(pattern, pretrained=pretrained, include_tags=pretrained or '.' in pattern)
            if not found:
                fail(f"no timm model matches '{pattern}'" + (' with pretrained weights' if pretrained else ''))
            names += found
        else:
            architecture = pattern.split('.')[0]
            if not timm.is_model(architecture):
                close = fnmatch.filter(timm.list_models(), f'*{architecture}*')[:5]
                fail(f"'{pattern}' is not a timm model" + (f" (similar: {', '.join(close)})" if close else ''))
            names.append(pattern)
    return list(dict.fromkeys(names))


def hf_config(model):
    """timm's config.json for the Hugging Face hub (architecture, num_classes, pretrained_cfg, ...)."""
    from timm.models import _hub
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'config.json')
        try:
            _hub.save_config_for_hf(model, path)
            with open(path, encoding='utf-8') as f:
                return json.load(f)
        except Exception:  # older or newer timm: write the fields imeval reads
            cfg = {k: v for k, v in model.pretrained_cfg.items() if k != 'state_dict' and v is not None}
            return json.loads(json.dumps({'architecture': model.pretrained_cfg.get('architecture'),
                                          'num_classes': model.num_classes, 'pretrained_cfg': cfg}, default=list))


def export_one(timm, name, args):
    out_path = os.path.join(args.out, f'{name}.pt')
    if os.path.exists(out_path) and not args.force:
        print(f'export_timm: {out_path} exists, kept (--force to redo)', file=sys.stderr)
        return out_path
    torch.manual_seed(args.seed)
    pretrained = not args.no_pretrained and not args.checkpoint
    try:
        model = timm.create_model(name, pretrained=pretrained, checkpoint_path=args.checkpoint or '', scriptable=True)
    except Exception as e:  # the hub unreachable, huggingface_hub missing, a wrong checkpoint
        hint = ' (pass --checkpoint FILE or --no-pretrained)' if pretrained else ''
        raise ExportError(f"cannot create '{name}': {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}{hint}")
    model.eval()
    try:
        scripted = torch.jit.script(model)
    except Exception as e:
        raise ExportError(f"'{name}' cannot be scripted with torch.jit.script: {str(e).splitlines()[0]}")

    config = hf_config(model)
    input_size = tuple(config['pretrained_cfg'].get('test_input_size') or config['pretrained_cfg']['input_size'])
    x = torch.randn((2,) + input_size, generator=torch.Generator().manual_seed(args.seed))
    with torch.inference_mode():
        eager, script = model(x), scripted(x)
    if not torch.allclose(eager, script, rtol=1e-4, atol=1e-4):
        raise ExportError(f"'{name}': the scripted module's logits differ from the eager model's by "
             f"{(eager - script).abs().max().item():.3g}")

    os.makedirs(args.out, exist_ok=True)
    fd, tmp_path = tempfile.mkstemp(prefix=f'.{name}.', suffix='.pt.tmp', dir=args.out)
    os.close(fd)
    try:
        torch.jit.save(scripted, tmp_path, _extra_files={'config.json': json.dumps(config)})
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp makes the file private
        os.replace(tmp_path, out_path)
    finally:
        if os.path.exists(tmp_path):
            os.remove(tmp_path)
    cfg = config['pretrained_cfg']
    params = sum(p.numel() for p in model.parameters())
    print(f'{out_path}: {params / 1e6:.2f}M params, input {list(input_size)}, crop_pct {cfg.get("crop_pct")}, '
          f'{cfg.get("interpolation")}, {"random weights" if args.no_pretrained else "checkpoint " + args.checkpoint if args.checkpoint else "pretrained"}')
    return out_path


def main(argv=None):
    args = parse_args(argv)
    try:
        import timm
    except ImportError:
        fail('timm is not installed: run scripts/setup_reference.sh and use .venv/bin/python')
    names = resolve_names(timm, args.models, pretrained=not args.no_pretrained and not args.checkpoint)
    if args.checkpoint and len(names) != 1:
        fail(f'--checkpoint applies to one model, got {len(names)}')
    failed = []
    for name in names:
        try:
            export_one(timm, name, args)
        except ExportError as e:  # the other models are still exported
            print(f'export_timm: error: {e}', file=sys.stderr)
            failed.append(name)
    if failed:
        fail(f"{len(failed)} of {len(names)} model(s) not exported: {', '.join(failed)}")


if __name__ == '__main__':
    main()
