#!/usr/bin/env python3
"""Python REFERENCE for imeval: timm validate.py's evaluation semantics on a TorchScript model.

Produces the golden numbers the C++ tool must reproduce.  Needs Debian's torch 1.13 /
torchvision 0.14 / Pillow 9.4 (the system interpreter, NOT a pyenv python):

    /usr/bin/python3 scripts/reference_validate.py --model sample/models/tf_mobilenetv1_025_128.pt \
        --data sample/images --class-map data/imagenet_synsets.txt --predictions-file /tmp/p.csv

timm itself is optional: without --use-timm everything (data config, folder scan, eval transform,
prefetcher normalisation, accuracy) is re-implemented here with torchvision + PIL.  With
--use-timm the script uses timm's own resolve_data_config / ImageDataset / create_loader
(transforms_imagenet_eval + fast_collate + PrefetchLoader) / accuracy.  Install timm with
scripts/setup_reference.sh and run with .venv/bin/python (a venv over the system packages).
--cross-check compares, image by image, the uint8 crop and the normalised float tensor of the
re-implementation with timm's (needs timm).

Semantics (timm 1.0.x validate.py, default prefetcher, CPU):
  * data config: TorchScript extra file config.json, timm HF layout {"pretrained_cfg": {...}}
    (keys at top level accepted too, pretrained_cfg wins); command-line flags override;
    resolve_data_config(use_test_size=True): test_input_size / test_crop_pct honoured.
  * dataset: find_images_and_targets (os.walk followlinks, label = leaf folder name, files
    .png/.jpg/.jpeg case-insensitive, classes sorted by natural_key unless --class-map, samples
    sorted by natural_key of the full path); Image.open(f).convert('RGB').
  * transform: transforms_imagenet_eval, then uint8 CHW tensor; batch uint8 -> float32,
    .sub_(mean*255).div_(std*255) (mean*255 computed in Python double, stored as float32).
  * metrics: timm.utils.accuracy per batch (float32 percent of the batch, topk, k capped at
    #logits) averaged by AverageMeter (sum of pct*n / count in double) -> depends on batch
    size in the last bits; the exact counts are printed too.  Printed line and results CSV
    round to 4 decimals exactly like validate.py.
"""
import argparse
import csv
import json
import math
import os
import re
import sys
import time
from collections import OrderedDict

import torch
import torch.utils.data
import torchvision.transforms as T
import torchvision.transforms.functional as TF
from PIL import Image

IMAGENET_DEFAULT_MEAN = (0.485, 0.456, 0.406)
IMAGENET_DEFAULT_STD = (0.229, 0.224, 0.225)
DEFAULT_CROP_PCT = 0.875
DEFAULT_CROP_MODE = 'center'
IMG_EXTENSIONS = ('.png', '.jpg', '.jpeg')

_INTERP = {
    'nearest': T.InterpolationMode.NEAREST,
    'bilinear': T.InterpolationMode.BILINEAR,
    'bicubic': T.InterpolationMode.BICUBIC,
    'box': T.InterpolationMode.BOX,
    'hamming': T.InterpolationMode.HAMMING,
    'lanczos': T.InterpolationMode.LANCZOS,
}


# ----------------------------------------------------------------------------- dataset

def natural_key(string_):
    """timm.utils.misc.natural_key"""
    return [int(s) if s.isdigit() else s for s in re.split(r'(\d+)', string_.lower())]


def load_class_map(filename, root=''):
    """timm.data.readers.class_map.load_class_map for .txt files: line i -> class index i."""
    path = filename
    if not os.path.exists(path):
        path = os.path.join(root, filename)
        assert os.path.exists(path), 'Cannot locate specified class map file (%s)' % filename
    assert os.path.splitext(filename)[-1].lower() == '.txt', 'only .txt class maps are supported'
    with open(path, encoding='utf-8') as f:
        return {v.strip(): k for k, v in enumerate(f)}


def find_images_and_targets(folder, class_to_idx=None):
    """timm.data.readers.reader_image_folder.find_images_and_targets (leaf_name_only, sort)."""
    types = set(IMG_EXTENSIONS)
    labels = []
    filenames = []
    for root, subdirs, files in os.walk(folder, topdown=False, followlinks=True):
        rel_path = os.path.relpath(root, folder) if (root != folder) else ''
        label = os.path.basename(rel_path)
        for f in files:
            base, ext = os.path.splitext(f)
            if ext.lower() in types:
                filenames.append(os.path.join(root, f))
                labels.append(label)
    if class_to_idx is None:
        sorted_labels = list(sorted(set(labels), key=natural_key))
        class_to_idx = {c: idx for idx, c in enumerate(sorted_labels)}
    samples = [(f, class_to_idx[l]) for f, l in zip(filenames, labels) if l in class_to_idx]
    samples = sorted(samples, key=lambda k: natural_key(k[0]))
    return samples, class_to_idx


PRESETS = {
    # name: (class map file, valid labels file, folders may be class indices, ReaL labels)
    'imagenet': ('imagenet_synsets.txt', None, False, False),
    'imagenetv2': ('imagenet_synsets.txt', None, True, False),
    'sketch': ('imagenet_synsets.txt', None, False, False),
    'imagenet-a': ('imagenet_a_synsets.txt', 'imagenet_a_indices.txt', False, False),
    'imagenet-r': ('imagenet_r_synsets.txt', 'imagenet_r_indices.txt', False, False),
    'imagenet-a-clean': ('imagenet_a_synsets.txt', 'imagenet_a_indices.txt', False, False),
    'imagenet-r-clean': ('imagenet_r_synsets.txt', 'imagenet_r_indices.txt', False, False),
    'imagenet-real': ('imagenet_synsets.txt', None, False, True),
}
DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'data')


def search_split(root, split=''):
    """timm.data.dataset_factory._search_split for validate.py's default split 'validation'."""
    if split:
        return os.path.join(root, split)
    for name in ('validation', 'val', 'valid', 'eval', 'evaluation'):
        if os.path.exists(os.path.join(root, name)):
            return os.path.join(root, name)
    return root


def load_valid_labels(path):
    """validate.py --valid-labels: one model output index per line."""
    with open(path) as f:
        return [int(line.rstrip()) for line in f if line.strip()]


class RealLabels:
    """timm.data.RealLabelsImagenet, matched by file name; images not in real.json are left out like empty entries."""

    def __init__(self, filenames, real_json):
        with open(real_json) as f:
            real = json.load(f)
        real = {'ILSVRC2012_val_%08d.JPEG' % (i + 1): labels for i, labels in enumerate(real)}
        self.labels = [real.get(os.path.basename(f), []) for f in filenames]
        self.is_correct = {1: [], 5: []}
        self.sample_idx = 0

    def add_result(self, output):
        _, pred_batch = output.topk(5, 1, True, True)
        for pred in pred_batch.cpu().numpy():
            labels = self.labels[self.sample_idx]
            if labels:
                for k in (1, 5):
                    self.is_correct[k].append(any([p in labels for p in pred[:k]]))
            self.sample_idx += 1

    def get_accuracy(self, k):
        import numpy as np
        return float(np.mean(self.is_correct[k])) * 100


def relative_path(path, root):
    return os.path.relpath(path, root).replace(os.sep, '/')


# ----------------------------------------------------------------------------- config

def read_model_config(model_path):
    extra = {'config.json': ''}
    model = torch.jit.load(model_path, map_location='cpu', _extra_files=extra)
    raw = extra['config.json']
    cfg = {}
    if raw:
        full = json.loads(raw.decode('utf-8') if isinstance(raw, bytes) else raw)
        cfg = {k: v for k, v in full.items() if k != 'pretrained_cfg'}
        cfg.update(full.get('pretrained_cfg') or {})
        if 'architecture' in full:
            cfg['architecture'] = full['architecture']
    return model, cfg


def resolve_data_config(args, pretrained_cfg, use_test_size=True):
    """timm.data.config.resolve_data_config (args: dict of overrides, falsy = unset)."""
    in_chans = 3
    input_size = (in_chans, 224, 224)
    if args.get('input_size') is not None:
        input_size = tuple(args['input_size'])
        in_chans = input_size[0]
    elif args.get('img_size') is not None:
        input_size = (in_chans, args['img_size'], args['img_size'])
    else:
        if use_test_size and pretrained_cfg.get('test_input_size', None) is not None:
            input_size = pretrained_cfg['test_input_size']
        elif pretrained_cfg.get('input_size', None) is not None:
            input_size = pretrained_cfg['input_size']
    cfg = {'input_size': input_size}

    cfg['interpolation'] = 'bicubic'
    if args.get('interpolation'):
        cfg['interpolation'] = args['interpolation']
    elif pretrained_cfg.get('interpolation'):
        cfg['interpolation'] = pretrained_cfg['interpolation']

    for key, default in (('mean', IMAGENET_DEFAULT_MEAN), ('std', IMAGENET_DEFAULT_STD)):
        cfg[key] = default
        if args.get(key) is not None:
            v = tuple(args[key])
            if len(v) == 1:
                v = tuple(list(v) * in_chans)
            assert len(v) == in_chans
            cfg[key] = v
        elif pretrained_cfg.get(key):
            cfg[key] = pretrained_cfg[key]

    crop_pct = DEFAULT_CROP_PCT
    if args.get('crop_pct'):
        crop_pct = args['crop_pct']
    elif use_test_size and pretrained_cfg.get('test_crop_pct'):
        crop_pct = pretrained_cfg['test_crop_pct']
    elif pretrained_cfg.get('crop_pct'):
        crop_pct = pretrained_cfg['crop_pct']
    cfg['crop_pct'] = crop_pct

    cfg['crop_mode'] = DEFAULT_CROP_MODE
    if args.get('crop_mode'):
        cfg['crop_mode'] = args['crop_mode']
    elif pretrained_cfg.get('crop_mode'):
        cfg['crop_mode'] = pretrained_cfg['crop_mode']
    return cfg


# ----------------------------------------------------------------------------- transform

class ResizeKeepRatio:
    """timm.data.transforms.ResizeKeepRatio without the random parts."""

    def __init__(self, size, longest=0., interpolation='bilinear'):
        self.size = tuple(size) if isinstance(size, (list, tuple)) else (size, size)
        self.interpolation = _INTERP[interpolation]
        self.longest = float(longest)

    def __call__(self, img):
        img_h, img_w = img_size = TF.get_dimensions(img)[1:]
        target_h, target_w = self.size
        ratio_h = img_h / target_h
        ratio_w = img_w / target_w
        ratio = max(ratio_h, ratio_w) * self.longest + min(ratio_h, ratio_w) * (1. - self.longest)
        size = [round(x * 1. / ratio) for x in img_size]
        return TF.resize(img, size, self.interpolation)


class CenterCropOrPad:
    """timm.data.transforms.CenterCropOrPad"""

    def __init__(self, size, fill=0):
        self.size = (size, size) if isinstance(size, int) else tuple(size)
        self.fill = fill

    def __call__(self, img):
        crop_height, crop_width = self.size
        _, image_height, image_width = TF.get_dimensions(img)
        if crop_width > image_width or crop_height > image_height:
            padding_ltrb = [
                (crop_width - image_width) // 2 if crop_width > image_width else 0,
                (crop_height - image_height) // 2 if crop_height > image_height else 0,
                (crop_width - image_width + 1) // 2 if crop_width > image_width else 0,
                (crop_height - image_height + 1) // 2 if crop_height > image_height else 0,
            ]
            img = TF.pad(img, padding_ltrb, fill=self.fill, padding_mode='constant')
            _, image_height, image_width = TF.get_dimensions(img)
            if crop_width == image_width and crop_height == image_height:
                return img
        crop_top = int(round((image_height - crop_height) / 2.0))
        crop_left = int(round((image_width - crop_width) / 2.0))
        return TF.crop(img, crop_top, crop_left, crop_height, crop_width)


class PILToUint8Tensor:
    """timm MaybePILToTensor: PIL -> uint8 CHW tensor."""

    def __call__(self, img):
        return TF.pil_to_tensor(img)


def eval_transform(data_config):
    """timm.data.transforms_factory.transforms_imagenet_eval(use_prefetcher=True)."""
    img_size = tuple(data_config['input_size'][-2:])
    crop_pct = data_config['crop_pct'] or DEFAULT_CROP_PCT
    crop_mode = data_config['crop_mode']
    interpolation = data_config['interpolation']
    scale_size = tuple([math.floor(x / crop_pct) for x in img_size])
    if crop_mode == 'squash':
        tfl = [T.Resize(scale_size, interpolation=_INTERP[interpolation]), T.CenterCrop(img_size)]
    elif crop_mode == 'border':
        fill = [round(255 * v) for v in data_config['mean']]
        tfl = [ResizeKeepRatio(scale_size, interpolation=interpolation, longest=1.0),
               CenterCropOrPad(img_size, fill=fill)]
    else:
        if scale_size[0] == scale_size[1]:
            tfl = [T.Resize(scale_size[0], interpolation=_INTERP[interpolation])]
        else:
            tfl = [ResizeKeepRatio(scale_size, interpolation=interpolation)]
        tfl += [T.CenterCrop(img_size)]
    tfl += [PILToUint8Tensor()]
    return T.Compose(tfl)


def timm_eval_transform(data_config):
    from timm.data import create_transform
    return create_transform(
        input_size=data_config['input_size'], is_training=False, use_prefetcher=True,
        interpolation=data_config['interpolation'], mean=data_config['mean'], std=data_config['std'],
        crop_pct=data_config['crop_pct'], crop_mode=data_config['crop_mode'])


class Normalizer:
    """timm PrefetchLoader normalisation: uint8 -> float32, sub_(mean*255).div_(std*255)."""

    def __init__(self, mean, std):
        self.mean = torch.tensor([x * 255 for x in mean], dtype=torch.float32).view(1, 3, 1, 1)
        self.std = torch.tensor([x * 255 for x in std], dtype=torch.float32).view(1, 3, 1, 1)

    def __call__(self, batch_u8):
        return batch_u8.to(torch.float32).sub_(self.mean).div_(self.std)


# ----------------------------------------------------------------------------- loading

class FolderDataset(torch.utils.data.Dataset):
    def __init__(self, samples, transform):
        self.samples = samples
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, index):
        path, target = self.samples[index]
        with open(path, 'rb') as f:
            img = Image.open(f).convert('RGB')
        return self.transform(img), target


def collate_uint8(batch):
    """timm fast_collate for uint8 tensors."""
    targets = torch.tensor([b[1] for b in batch], dtype=torch.int64)
    tensor = torch.zeros((len(batch), *batch[0][0].shape), dtype=torch.uint8)
    for i, b in enumerate(batch):
        tensor[i].copy_(b[0])
    return tensor, targets


def build_loader(samples, data_config, args):
    """Returns (iterable of (float32 NCHW batch, int64 targets), samples list in loader order)."""
    batch_size, workers = args.batch_size, args.workers
    if args.use_timm:
        from timm.data import ImageDataset, create_loader
        dataset = ImageDataset(args.data, class_map=args.class_map, input_img_mode='RGB')
        dataset.reader.samples = list(samples)
        loader = create_loader(
            dataset, input_size=data_config['input_size'], batch_size=batch_size,
            use_prefetcher=True, interpolation=data_config['interpolation'],
            mean=data_config['mean'], std=data_config['std'], num_workers=workers,
            crop_pct=data_config['crop_pct'], crop_mode=data_config['crop_mode'],
            pin_memory=False, device=torch.device('cpu'), img_dtype=torch.float32)
        return loader
    dataset = FolderDataset(samples, eval_transform(data_config))
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=batch_size, shuffle=False, num_workers=workers,
        collate_fn=collate_uint8, drop_last=False, persistent_workers=workers > 0)
    norm = Normalizer(data_config['mean'], data_config['std'])

    class _Prefetch:
        def __len__(self):
            return len(loader)

        def __iter__(self):
            for x, y in loader:
                yield norm(x), y
    return _Prefetch()


# ----------------------------------------------------------------------------- metrics

def timm_accuracy(output, target, topk=(1, 5)):
    """timm.utils.metrics.accuracy"""
    maxk = min(max(topk), output.size()[1])
    batch_size = target.size(0)
    _, pred = output.topk(maxk, 1, True, True)
    pred = pred.t()
    correct = pred.eq(target.reshape(1, -1).expand_as(pred))
    return [correct[:min(k, maxk)].reshape(-1).float().sum(0) * 100. / batch_size for k in topk]


class AverageMeter:
    def __init__(self):
        self.sum = 0
        self.count = 0
        self.avg = 0

    def update(self, val, n=1):
        self.sum += val * n
        self.count += n
        self.avg = self.sum / self.count if self.count else 0


# ----------------------------------------------------------------------------- main API

def make_parser():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--model', required=True, help='TorchScript model (.pt) with optional config.json extra file')
    p.add_argument('--data', required=True, help='ImageNet-style folder root')
    p.add_argument('--img-size', type=int, default=None)
    p.add_argument('--input-size', type=int, nargs=3, default=None, metavar=('C', 'H', 'W'))
    p.add_argument('--crop-pct', type=float, default=None)
    p.add_argument('--crop-mode', default=None, choices=['center', 'squash', 'border'])
    p.add_argument('--interpolation', default='', choices=[''] + list(_INTERP))
    p.add_argument('--mean', type=float, nargs='+', default=None)
    p.add_argument('--std', type=float, nargs='+', default=None)
    p.add_argument('--class-map', default='', help='txt file, line i = folder name of class i (timm --class-map)')
    p.add_argument('--dataset', default='', choices=[''] + list(PRESETS), help="imeval's --dataset presets")
    p.add_argument('--split', default='', help='subfolder to evaluate (default: timm split search)')
    p.add_argument('--valid-labels', default='', help='file of model output indices to score over (timm --valid-labels)')
    p.add_argument('--real-labels', default='', help='real.json to score with (timm --real-labels)')
    p.add_argument('--batch-size', type=int, default=64)
    p.add_argument('--workers', type=int, default=2)
    p.add_argument('--limit', type=int, default=None, help='only the first N images in dataset order')
    p.add_argument('--predictions-file', default='')
    p.add_argument('--results-file', default='')
    p.add_argument('--model-name', default='', help='"model" column of the results file (default: the file stem)')
    p.add_argument('--use-timm', action='store_true', help="use timm's own config/dataset/transform/loader")
    p.add_argument('--data-only', action='store_true', help='also time the data path alone (no model)')
    p.add_argument('--cross-check', action='store_true',
                   help='compare re-implemented vs timm transform tensors image by image, then exit')
    p.add_argument('--no-warmup', action='store_true')
    p.add_argument('--quiet', action='store_true')
    return p


def parse_args(argv=None):
    args = make_parser().parse_args(argv)
    args.data = search_split(args.data, args.split)
    if args.dataset:
        class_map, valid, _, real = PRESETS[args.dataset]
        args.class_map = os.path.join(DATA_DIR, class_map)
        args.valid_labels = os.path.join(DATA_DIR, valid) if valid else args.valid_labels
        args.real_labels = os.path.join(DATA_DIR, 'imagenet_real_labels.json') if real else args.real_labels
    return args


def _data_config(args, pretrained_cfg):
    overrides = {
        'img_size': args.img_size, 'input_size': args.input_size, 'crop_pct': args.crop_pct,
        'crop_mode': args.crop_mode, 'interpolation': args.interpolation,
        'mean': args.mean, 'std': args.std,
    }
    if args.use_timm:
        from timm.data import resolve_data_config as timm_resolve
        cfg = timm_resolve(overrides, pretrained_cfg=pretrained_cfg, use_test_size=True)
        mine = resolve_data_config(overrides, pretrained_cfg, use_test_size=True)
        if {k: tuple(v) if isinstance(v, (list, tuple)) else v for k, v in cfg.items()} != \
                {k: tuple(v) if isinstance(v, (list, tuple)) else v for k, v in mine.items()}:
            raise SystemExit('data config mismatch timm=%r mine=%r' % (cfg, mine))
        return cfg
    return resolve_data_config(overrides, pretrained_cfg, use_test_size=True)


def _samples(args):
    class_to_idx = load_class_map(args.class_map, args.data) if args.class_map else None
    if args.dataset and PRESETS[args.dataset][2]:
        class_to_idx.update({str(i): i for i in range(len(class_to_idx))})  # ImageNetV2's index folders
    if args.use_timm:
        from timm.data.readers.reader_image_folder import find_images_and_targets as timm_find
        from timm.data.readers.class_map import load_class_map as timm_load
        samples, c2i = timm_find(args.data, class_to_idx=timm_load(args.class_map, args.data)
                                 if args.class_map else None)
        mine, _ = find_images_and_targets(args.data, class_to_idx)
        if samples != mine:
            raise SystemExit('dataset listing differs between timm and the re-implementation')
    else:
        samples, c2i = find_images_and_targets(args.data, class_to_idx)
    if args.limit is not None:
        samples = samples[:args.limit]
    return samples, c2i


def cross_check(args):
    model, pretrained_cfg = read_model_config(args.model)
    data_config = _data_config(args, pretrained_cfg)
    samples, _ = _samples(args)
    mine_t, timm_t = eval_transform(data_config), timm_eval_transform(data_config)
    norm = Normalizer(data_config['mean'], data_config['std'])
    from timm.data.loader import PrefetchLoader
    pf = PrefetchLoader([], mean=data_config['mean'], std=data_config['std'], device=torch.device('cpu'),
                        img_dtype=torch.float32)
    bad = 0
    for path, _ in samples:
        with open(path, 'rb') as f:
            img = Image.open(f).convert('RGB')
        a, b = mine_t(img), timm_t(img)
        fa = norm(a.unsqueeze(0))
        fb = b.unsqueeze(0).to(torch.float32).sub_(pf.mean).div_(pf.std)
        if a.dtype != b.dtype or a.shape != b.shape or not torch.equal(a, b) or not torch.equal(fa, fb):
            bad += 1
            print('MISMATCH', relative_path(path, args.data))
    print('cross-check: %d images, %d mismatches (%s)' % (len(samples), bad, data_config))
    return bad


def run_reference(args):
    """Runs the evaluation; returns a dict with results, counts, predictions and timings."""
    torch.set_num_threads(os.cpu_count())
    model, pretrained_cfg = read_model_config(args.model)
    model.eval()
    data_config = _data_config(args, pretrained_cfg)
    samples, class_to_idx = _samples(args)
    if not samples:
        raise SystemExit('no images found under %s' % args.data)
    param_count = sum(p.numel() for p in model.parameters())
    model_name = args.model_name or os.path.splitext(os.path.basename(args.model))[0]
    log = (lambda *a: None) if args.quiet else (lambda *a: print(*a, flush=True))
    log('Model %s, param count: %d' % (model_name, param_count))
    log('Data config: %s' % dict(data_config))
    log('%d images, %d classes' % (len(samples), len(class_to_idx)))

    out = {'data_config': dict(data_config), 'num_images': len(samples), 'param_count': param_count}

    if args.data_only:
        loader = build_loader(samples, data_config, args)
        t0 = time.perf_counter()
        n = 0
        for x, _ in loader:
            n += x.shape[0]
        dt = time.perf_counter() - t0
        out['data_only_img_per_s'] = n / dt
        log('Data path only: %d images in %.3f s, %.2f img/s' % (n, dt, n / dt))
        del loader

    valid_labels = load_valid_labels(args.valid_labels) if args.valid_labels else None
    real_labels = RealLabels([path for path, _ in samples], args.real_labels) if args.real_labels else None
    top1, top5 = AverageMeter(), AverageMeter()
    correct1 = correct5 = 0
    rows = []
    loader = build_loader(samples, data_config, args)
    with torch.inference_mode():
        if not args.no_warmup:
            model(torch.randn((args.batch_size,) + tuple(data_config['input_size'])))
        t0 = time.perf_counter()
        index = 0
        for x, target in loader:
            output = model(x)
            if output.dtype != torch.float32:
                output = output.float()
            if valid_labels is not None:
                output = output[:, valid_labels]
            if real_labels is not None:
                real_labels.add_result(output)
            bs = output.shape[0]
            acc1, acc5 = timm_accuracy(output, target, topk=(1, 5))
            top1.update(acc1.item(), bs)
            top5.update(acc5.item(), bs)
            k = min(5, output.shape[1])
            order = torch.sort(output, dim=1, descending=True, stable=True).indices[:, :k]
            probs = torch.softmax(output, dim=1)
            topprob = torch.gather(probs, 1, order)
            for i in range(bs):
                t = int(target[i])
                preds = [int(v) for v in order[i]]
                correct1 += preds[0] == t
                correct5 += t in preds
                path = relative_path(samples[index][0], args.data)
                pad = [''] * (5 - k)  # fewer than 5 classes: empty fields
                rows.append([path, t] + preds + pad + ['%.6f' % float(v) for v in topprob[i]] + pad)
                index += 1
        dt = time.perf_counter() - t0
    assert index == len(samples)
    n = len(samples)
    out['e2e_img_per_s'] = n / dt
    log('End to end: %d images in %.3f s, %.2f img/s' % (n, dt, n / dt))

    top1a, top5a = top1.avg, top5.avg
    if real_labels is not None:
        top1a, top5a = real_labels.get_accuracy(1), real_labels.get_accuracy(5)
    results = OrderedDict(
        model=model_name,
        top1=round(top1a, 4), top1_err=round(100 - top1a, 4),
        top5=round(top5a, 4), top5_err=round(100 - top5a, 4),
        param_count=round(param_count / 1e6, 2),
        img_size=data_config['input_size'][-1],
        crop_pct=data_config['crop_pct'],
        interpolation=data_config['interpolation'],
    )
    out.update(results=results, top1_avg=top1a, top5_avg=top5a, correct1=correct1, correct5=correct5,
               top1_exact=100.0 * correct1 / n, top5_exact=100.0 * correct5 / n, rows=rows)
    out['acc_line'] = ' * Acc@1 {:.3f} ({:.3f}) Acc@5 {:.3f} ({:.3f})'.format(
        results['top1'], results['top1_err'], results['top5'], results['top5_err'])
    log(out['acc_line'])
    log('   correct top-1 %d / %d, top-5 %d / %d' % (correct1, n, correct5, n))
    if round(100.0 * correct1 / n, 4) != results['top1'] or round(100.0 * correct5 / n, 4) != results['top5']:
        log('   note: timm batch-averaged accuracy differs from the exact count in the 4th decimal')

    if args.predictions_file:
        write_predictions(args.predictions_file, rows)
    if args.results_file:
        write_results(args.results_file, results)
    return out


def write_predictions(path, rows):
    header = ['path', 'target'] + ['pred%d' % (i + 1) for i in range(5)] + ['prob%d' % (i + 1) for i in range(5)]
    with open(path, 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f)  # csv module defaults: QUOTE_MINIMAL, '"' doubled, '\r\n' line ends
        w.writerow(header)
        w.writerows(rows)


def results_csv_text(results):
    """validate.py write_results(): csv.DictWriter on a text file -> '\\r\\n' line endings."""
    import io
    buf = io.StringIO()
    dw = csv.DictWriter(buf, fieldnames=results.keys())
    dw.writeheader()
    dw.writerow(results)
    return buf.getvalue()


def write_results(path, results):
    with open(path, 'w', newline='') as f:
        f.write(results_csv_text(results))


def main(argv=None):
    args = parse_args(argv)
    if args.cross_check:
        sys.exit(1 if cross_check(args) else 0)
    out = run_reference(args)
    print('--result\n' + json.dumps(out['results'], indent=4))


if __name__ == '__main__':
    main()
