#!/usr/bin/env python3
"""Builds the small test sets of every --dataset layout from the bundled real images (sample/images).

    /usr/bin/python3 scripts/make_test_sets.py            # writes tests/fixtures/sets and tests/fixtures/inputs

tests/fixtures/sets/ is a sweep data root:
  imagenet/val/<synset>/ILSVRC2012_val_NNNNNNNN.JPEG   40 images; file numbers chosen so real.json labels each
                                                       image with its own class (2 with no ReaL label)
  imagenetv2-matched-frequency-format-val/<index>/     24 images, folders named by class index as ImageNetV2 ships
  sketch/<synset>/                                     24 grey line drawings as JPEG and PNG in L, LA, RGB, RGBA, P
  imagenet-a/<synset>/, imagenet-r/<synset>/           the sample classes that are in timm's A / R 200-class subsets
tests/fixtures/inputs/ holds the generic inputs: a flat folder with labels files, two .tar archives, and a
two-class ImageNet-A folder of solid-colour images with a TorchScript model that reads the class from the
colour (right on every image).
Needs Pillow; the colour-code model needs torch (Debian's /usr/bin/python3 has both). Output is deterministic.
"""
import argparse
import io
import json
import os
import shutil
import tarfile

from PIL import Image, ImageFilter, ImageOps

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_SIDE = 176


def lines(name):
    with open(os.path.join(REPO, 'data', name)) as f:
        return [line.strip() for line in f if line.strip()]


def load(source, synset):
    folder = os.path.join(source, synset)
    name = sorted(os.listdir(folder))[0]
    img = Image.open(os.path.join(folder, name)).convert('RGB')
    img.thumbnail((MAX_SIDE, MAX_SIDE), Image.LANCZOS)
    return img


def save(img, path, **kw):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if path.lower().endswith(('.jpeg', '.jpg')):
        img.save(path, 'JPEG', quality=88, **kw)
    else:
        img.save(path, 'PNG', optimize=False, **kw)


def variant(img, k):
    """A different view of the same photo, as the test sets hold different photos of a class."""
    w, h = img.size
    box = [(0, 0, w * 5 // 6, h * 5 // 6), (w // 6, h // 6, w, h), (0, h // 8, w, h)][k % 3]
    out = img.crop(box)
    return ImageOps.mirror(out) if k % 2 else out


def sketch(img):
    grey = ImageOps.grayscale(img).filter(ImageFilter.FIND_EDGES)
    return ImageOps.autocontrast(ImageOps.invert(grey))


def make_imagenet(source, out, classes, synsets, real):
    used = set()
    rows = []
    for n, synset in enumerate(classes):
        c = synsets.index(synset)
        if n >= len(classes) - 2:  # two images without a ReaL label: left out of the ReaL score
            i = next(i for i, labels in enumerate(real) if not labels and i not in used)
        else:
            i = next(i for i, labels in enumerate(real) if c in labels and i not in used)
        used.add(i)
        name = 'ILSVRC2012_val_%08d.JPEG' % (i + 1)
        save(load(source, synset), os.path.join(out, 'imagenet', 'val', synset, name))
        rows.append(name)
    return rows


def make_sketch(source, out, classes):
    kinds = [('JPEG', 'L'), ('JPEG', 'RGB'), ('png', 'L'), ('png', 'LA'), ('png', 'RGB'), ('png', 'RGBA'), ('png', 'P')]
    for n, synset in enumerate(classes):
        ext, mode = kinds[n % len(kinds)]
        img = sketch(load(source, synset))
        if mode == 'RGB':
            img = ImageOps.colorize(img, black=(40, 20, 90), white=(250, 245, 230))
        elif mode == 'LA':
            img = img.convert('LA')
        elif mode == 'RGBA':
            img = img.convert('RGBA')
            img.putalpha(200)
        elif mode == 'P':
            img = img.convert('RGB').quantize(colors=16)
        save(img, os.path.join(out, 'sketch', synset, 'sketch_%d.%s' % (n, ext)))


def make_inputs(source, inputs, flat_classes, synsets, a_synsets, a_indices):
    flat = os.path.join(inputs, 'flat')
    by_name, by_index = ['filename,label'], ['filename,label']
    for n, synset in enumerate(flat_classes):
        name = 'img_%04d.jpg' % (n + 1)
        save(variant(load(source, synset), n), os.path.join(flat, name))
        by_name.append('%s,%s' % (name, synset))
        by_index.append('%s,%d' % (name, synsets.index(synset)))
    with open(os.path.join(inputs, 'flat_labels.csv'), 'w') as f:
        f.write('\n'.join(by_name) + '\n')
    with open(os.path.join(inputs, 'flat_labels_index.csv'), 'w') as f:
        f.write('\n'.join(by_index) + '\n')
    write_tar(os.path.join(inputs, 'flat.tar'), flat, '')
    write_tar(os.path.join(inputs, 'imagenet-a.tar'), os.path.join(os.path.dirname(inputs), 'sets', 'imagenet-a'), '')

    # Two ImageNet-A classes, neither the first A synset, as solid colours that encode the ImageNet class.
    colour = os.path.join(inputs, 'colour-a')
    for synset in (a_synsets[5], a_synsets[120]):
        c = a_indices[a_synsets.index(synset)]
        for k in range(3):
            img = Image.new('RGB', (40 + 8 * k, 48), (8 * (c // 32) + 4, 8 * (c % 32) + 4, 128))
            save(img, os.path.join(colour, synset, 'solid_%d.png' % k))
    make_colour_model(os.path.join(inputs, 'colour_code_model.pt'))


def write_tar(path, folder, prefix):
    with tarfile.open(path, 'w', format=tarfile.USTAR_FORMAT) as tar:
        for root, dirs, files in sorted(os.walk(folder)):
            dirs.sort()
            for name in sorted(files):
                full = os.path.join(root, name)
                info = tar.gettarinfo(full, arcname=os.path.join(prefix, os.path.relpath(full, folder)))
                info.mtime, info.uid, info.gid, info.uname, info.gname, info.mode = 0, 0, 0, '', '', 0o644
                with open(full, 'rb') as f:
                    tar.addfile(info, f)


def make_colour_model(path):
    import torch

    class ColourCode(torch.nn.Module):
        """Class index from the top-left pixel: R = 8*(c//32)+4, G = 8*(c%32)+4 (inputs normalised with mean 0, std 1)."""

        def forward(self, x):
            rgb = torch.round(x[:, :, 0, 0] * 255.0)
            c = torch.div(rgb[:, 0], 8, rounding_mode='floor') * 32 + torch.div(rgb[:, 1], 8, rounding_mode='floor')
            return torch.nn.functional.one_hot(c.long(), 1000).float() * 10.0

    config = {'architecture': 'colour_code', 'num_classes': 1000,
              'pretrained_cfg': {'input_size': [3, 32, 32], 'crop_pct': 1.0, 'interpolation': 'bilinear',
                                 'mean': [0.0, 0.0, 0.0], 'std': [1.0, 1.0, 1.0]}}
    module = torch.jit.script(ColourCode().eval())
    torch.jit.save(module, path, _extra_files={'config.json': json.dumps(config)})


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--source', default=os.path.join(REPO, 'sample', 'images'), help='folder of <synset>/<image>')
    p.add_argument('--out', default=os.path.join(REPO, 'tests', 'fixtures'))
    args = p.parse_args()
    synsets = lines('imagenet_synsets.txt')
    a_synsets, r_synsets = lines('imagenet_a_synsets.txt'), lines('imagenet_r_synsets.txt')
    a_indices = [int(v) for v in lines('imagenet_a_indices.txt')]
    with open(os.path.join(REPO, 'data', 'imagenet_real_labels.json')) as f:
        real = json.load(f)
    available = sorted(os.listdir(args.source))
    in_a = [s for s in available if s in a_synsets]
    in_r = [s for s in available if s in r_synsets]
    others = [s for s in available if s not in a_synsets and s not in r_synsets]

    sets, inputs = os.path.join(args.out, 'sets'), os.path.join(args.out, 'inputs')
    for folder in (sets, inputs):
        shutil.rmtree(folder, ignore_errors=True)
    imagenet_classes = sorted(set(in_a) | set(in_r)) + others[:40 - len(set(in_a) | set(in_r))]
    make_imagenet(args.source, sets, imagenet_classes, synsets, real)
    for n, synset in enumerate(others[10:34]):
        save(variant(load(args.source, synset), n),
             os.path.join(sets, 'imagenetv2-matched-frequency-format-val', str(synsets.index(synset)), 'v2_%d.jpeg' % n))
    make_sketch(args.source, sets, available[1::4][:24])
    for n, synset in enumerate(in_a + in_a[:1]):
        img = ImageOps.posterize(variant(load(args.source, synset), n + 1), 3)
        save(img, os.path.join(sets, 'imagenet-a', synset, 'adv_%d.jpg' % n))
    for n, synset in enumerate(in_r + in_r[:7]):
        img = ImageOps.solarize(variant(load(args.source, synset), n), 140) if n % 2 else ImageOps.equalize(load(args.source, synset))
        save(img, os.path.join(sets, 'imagenet-r', synset, 'art_%d.jpg' % n))
    make_inputs(args.source, inputs, others[34:46], synsets, a_synsets, a_indices)


if __name__ == '__main__':
    main()
