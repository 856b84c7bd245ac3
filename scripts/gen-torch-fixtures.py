#!/usr/bin/env python3
"""
PyTorch oracle fixtures for the ConvLens engine (src/engine).

Run:
    npm run fixtures:torch          # = python3 scripts/gen-torch-fixtures.py
    /usr/bin/python3 scripts/gen-torch-fixtures.py

Needs PyTorch and numpy. On the dev container they live in Debian's interpreter
(/usr/bin/python3 with python3-torch 1.13 and python3-numpy); the `python3` first on PATH may be
another interpreter without torch, so when `import torch` fails this script re-executes itself
with /usr/bin/python3 (once), and otherwise exits with a message saying what to install.

Output: test/fixtures/torch/{conv,pool,misc,activations}.json, read by
test/unit/engine/torch-oracle.test.ts; norm.json, read by test/unit/model/group-norm.test.ts;
layers.json, read by test/unit/engine/torch-oracle-layers.test.ts; and tensor_ops.json (with an
"errors" list: calls PyTorch refuses and its message), read by test/unit/model/tensor-ops.test.ts.
Each file is
    { "generator": ..., "torch": <version>, "cases": [case, ...] }
and each case is
    { "name": "x=[1,3,7,6] w=[4,3,3,2] s=2 p=1 d=1 g=1 bias → [1,4,4,4]",
      "op": "conv2d",                       # the torch.nn.functional / torch function
      "args": {...},                        # its non-tensor arguments, as passed (tuples → lists)
      "inputs": {name: {"shape": [...], "data": "<base64 float32 little-endian>"}},
      "output": {"shape": [...], "data": "<base64 float32 little-endian>"} }
Every argument is written out explicitly, including PyTorch's defaults (e.g.
count_include_pad=True), so the test never has to know them.

Deterministic: each case's tensors come from a generator seeded by a CRC of the case's op and
arguments, computation runs on one CPU thread with deterministic algorithms, and the JSON is
written with a fixed key order. Re-running produces byte-identical files (for the same torch).
"""
import os
import sys

REEXEC_ENV = 'CONVLENS_TORCH_FIXTURES_REEXEC'
SYSTEM_PYTHON = '/usr/bin/python3'

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as err:  # pragma: no cover - environment dependent
    here = os.path.realpath(sys.executable or '')
    if (not os.environ.get(REEXEC_ENV) and os.path.exists(SYSTEM_PYTHON)
            and here != os.path.realpath(SYSTEM_PYTHON)):
        os.environ[REEXEC_ENV] = '1'
        print(f'gen-torch-fixtures: {err}; re-running with {SYSTEM_PYTHON}', file=sys.stderr)
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__), *sys.argv[1:]])
    sys.exit(
        f'gen-torch-fixtures: cannot import torch/numpy ({err}) with {sys.executable}.\n'
        'Install them (Debian: apt-get install python3-torch python3-numpy; or pip install torch numpy)\n'
        f'and run: /usr/bin/python3 {os.path.relpath(os.path.abspath(__file__))}'
    )

import base64
import json
import warnings
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, 'test', 'fixtures', 'torch')

torch.set_num_threads(1)
# "padding='same' with even kernel lengths ... may require a zero-padded copy": intended here.
warnings.filterwarnings('ignore', message=".*padding='same'.*")
torch.use_deterministic_algorithms(True)
torch.backends.mkldnn.enabled = False  # plain CPU kernels: one well-defined accumulation order


# ---------------------------------------------------------------------------------------------
# helpers

def enc(t):
    # reshape: ascontiguousarray makes a 0-d tensor (a full reduction) 1-d
    a = np.ascontiguousarray(t.detach().cpu().numpy(), dtype='<f4').reshape(tuple(t.shape))
    return {'shape': list(a.shape), 'data': base64.b64encode(a.tobytes()).decode('ascii')}


def shp(shape):
    return '[' + ','.join(str(d) for d in shape) + ']'


def v2(v):
    """An int or pair, as it appears in a name: 2, (2,1)."""
    if isinstance(v, (tuple, list)):
        return '(' + ','.join(str(x) for x in v) + ')'
    return repr(v) if isinstance(v, str) else str(v)


def kxk(k):
    if isinstance(k, (tuple, list)):
        return 'x'.join(str(x) for x in k)
    return f'{k}x{k}'


def jsonable(v):
    if isinstance(v, tuple):
        return [jsonable(x) for x in v]
    if isinstance(v, list):
        return [jsonable(x) for x in v]
    return v


class Gen:
    """Seeded tensors for one case."""

    def __init__(self, key):
        self.g = torch.Generator().manual_seed(zlib.crc32(key.encode('utf-8')))

    def randn(self, *shape, scale=1.0):
        return torch.randn(*shape, generator=self.g, dtype=torch.float32) * scale

    def uniform(self, *shape, lo=-1.0, hi=1.0):
        return torch.rand(*shape, generator=self.g, dtype=torch.float32) * (hi - lo) + lo

    def perm(self, n):
        return torch.randperm(n, generator=self.g)


class File:
    def __init__(self, name):
        self.name = name
        self.cases = []
        self.names = set()
        self.errors = []

    def add(self, name, op, args, inputs, output):
        full = f'{name} → {shp(output.shape)}'
        if (op, full) in self.names:
            raise SystemExit(f'duplicate {op} case name in {self.name}: {full}')
        self.names.add((op, full))
        self.cases.append({
            'name': full,
            'op': op,
            'args': {k: jsonable(v) for k, v in args.items()},
            'inputs': {k: enc(v) for k, v in inputs.items()},
            'output': enc(output),
        })

    def add_error(self, name, op, args, shapes, fn):
        """A call PyTorch refuses: the shapes, the arguments and PyTorch's message."""
        try:
            fn(*[torch.zeros(*sh) for sh in shapes])
        except (RuntimeError, IndexError, ValueError) as exc:
            self.errors.append({'name': name, 'op': op, 'args': {k: jsonable(v) for k, v in args.items()},
                                'shapes': shapes, 'error': str(exc).strip().split('\n')[0]})
            return
        raise SystemExit(f'{self.name}: {name} did not raise')

    def write(self):
        os.makedirs(OUT_DIR, exist_ok=True)
        path = os.path.join(OUT_DIR, self.name)
        doc = {
            'generator': 'scripts/gen-torch-fixtures.py',
            'torch': torch.__version__,
            'cases': self.cases,
        }
        if self.errors:
            doc['errors'] = self.errors
        with open(path, 'w', encoding='utf-8', newline='\n') as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write('\n')
        return path, len(self.cases), os.path.getsize(path)


def key_of(op, shapes, args):
    return f'{op}|{shapes}|{json.dumps(jsonable(args), sort_keys=True)}'


# ---------------------------------------------------------------------------------------------
# conv.json: conv2d, conv1d, conv_transpose2d

def conv2d_case(f, x_shape, w_shape, stride=1, padding=0, dilation=1, groups=1, bias=True, note=''):
    args = {'stride': stride, 'padding': padding, 'dilation': dilation, 'groups': groups}
    g = Gen(key_of('conv2d', (x_shape, w_shape, bias), args))
    x = g.randn(*x_shape)
    w = g.uniform(*w_shape)
    b = g.uniform(w_shape[0]) if bias else None
    y = F.conv2d(x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups)
    inputs = {'input': x, 'weight': w}
    if b is not None:
        inputs['bias'] = b
    name = (f'x={shp(x_shape)} w={shp(w_shape)} k={kxk(w_shape[2:])} s={v2(stride)} p={v2(padding)} '
            f'd={v2(dilation)} g={groups} {"bias" if bias else "no-bias"}{" " + note if note else ""}')
    f.add(name, 'conv2d', args, inputs, y)


def conv1d_case(f, x_shape, w_shape, stride=1, padding=0, dilation=1, groups=1, bias=True, note=''):
    args = {'stride': stride, 'padding': padding, 'dilation': dilation, 'groups': groups}
    g = Gen(key_of('conv1d', (x_shape, w_shape, bias), args))
    x = g.randn(*x_shape)
    w = g.uniform(*w_shape)
    b = g.uniform(w_shape[0]) if bias else None
    y = F.conv1d(x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups)
    inputs = {'input': x, 'weight': w}
    if b is not None:
        inputs['bias'] = b
    name = (f'x={shp(x_shape)} w={shp(w_shape)} k={w_shape[2]} s={v2(stride)} p={v2(padding)} '
            f'd={v2(dilation)} g={groups} {"bias" if bias else "no-bias"}{" " + note if note else ""}')
    f.add(name, 'conv1d', args, inputs, y)


def convt_case(f, x_shape, w_shape, stride=1, padding=0, output_padding=0, dilation=1, groups=1, bias=True):
    args = {'stride': stride, 'padding': padding, 'output_padding': output_padding,
            'dilation': dilation, 'groups': groups}
    g = Gen(key_of('conv_transpose2d', (x_shape, w_shape, bias), args))
    x = g.randn(*x_shape)
    w = g.uniform(*w_shape)
    b = g.uniform(w_shape[1] * groups) if bias else None
    y = F.conv_transpose2d(x, w, b, stride=stride, padding=padding, output_padding=output_padding,
                           groups=groups, dilation=dilation)
    inputs = {'input': x, 'weight': w}
    if b is not None:
        inputs['bias'] = b
    name = (f'x={shp(x_shape)} w={shp(w_shape)} k={kxk(w_shape[2:])} s={v2(stride)} p={v2(padding)} '
            f'op={v2(output_padding)} d={v2(dilation)} g={groups} {"bias" if bias else "no-bias"}')
    f.add(name, 'conv_transpose2d', args, inputs, y)


def build_conv():
    f = File('conv.json')
    # --- conv2d: integer and tuple padding, per-axis stride, dilation
    conv2d_case(f, [1, 3, 7, 6], [4, 3, 3, 2], stride=2, padding=1)
    conv2d_case(f, [2, 3, 8, 7], [5, 3, 3, 3], stride=1, padding=(1, 2), bias=False)
    conv2d_case(f, [1, 2, 9, 8], [3, 2, 2, 4], stride=(2, 3), padding=(0, 1))
    conv2d_case(f, [2, 3, 7, 9], [4, 3, 3, 5], padding='valid')
    conv2d_case(f, [1, 2, 8, 7], [3, 2, 3, 1], stride=(1, 2), padding='valid', bias=False)
    conv2d_case(f, [1, 2, 9, 9], [3, 2, 3, 3], padding=2, dilation=2)
    conv2d_case(f, [2, 3, 10, 7], [2, 3, 3, 2], stride=(1, 2), padding=(2, 1), dilation=(2, 1))
    conv2d_case(f, [1, 1, 4, 5], [2, 1, 3, 3], stride=2, padding=3, note='(padding > kernel/2)')
    conv2d_case(f, [1, 3, 5, 6], [2, 3, 5, 6], padding=0, note='(kernel = input)')
    conv2d_case(f, [2, 5, 4, 3], [7, 5, 1, 1], note='(1x1)')
    conv2d_case(f, [3, 2, 6, 5], [4, 2, 2, 3], stride=(3, 2), padding=(1, 2), dilation=(1, 2), bias=False)
    # --- padding='same' (stride 1): odd and even kernels, with dilation
    conv2d_case(f, [1, 3, 7, 6], [4, 3, 3, 3], padding='same')
    conv2d_case(f, [2, 2, 6, 7], [3, 2, 4, 2], padding='same', note='(even kernel: extra pad after)')
    conv2d_case(f, [1, 3, 9, 8], [2, 3, 2, 3], padding='same', dilation=(2, 3))
    conv2d_case(f, [1, 2, 8, 9], [3, 2, 4, 4], padding='same', dilation=2, bias=False)
    conv2d_case(f, [2, 3, 5, 5], [2, 3, 5, 1], padding='same')
    # --- groups
    conv2d_case(f, [2, 4, 7, 6], [6, 2, 3, 3], padding=1, groups=2)
    conv2d_case(f, [1, 6, 8, 7], [6, 2, 2, 3], stride=2, padding=(1, 0), groups=3)
    conv2d_case(f, [1, 6, 7, 7], [9, 2, 3, 3], padding='same', groups=3, bias=False)
    conv2d_case(f, [3, 4, 6, 9], [4, 2, 3, 2], stride=(2, 1), padding=(0, 1), dilation=(1, 2), groups=2)
    # --- depthwise: groups = C_in, depth multiplier 1 and 2
    conv2d_case(f, [1, 4, 7, 6], [4, 1, 3, 3], padding=1, groups=4, note='(depthwise)')
    conv2d_case(f, [2, 3, 8, 7], [6, 1, 3, 2], stride=2, padding=1, groups=3, note='(depthwise ×2)')
    conv2d_case(f, [1, 5, 7, 8], [5, 1, 4, 4], padding='same', groups=5, bias=False, note='(depthwise)')
    conv2d_case(f, [2, 2, 9, 6], [6, 1, 2, 3], stride=(1, 2), padding=(1, 1), dilation=(2, 1), groups=2,
                note='(depthwise ×3)')
    # --- larger reductions: im2col blocks and gemm column panels
    conv2d_case(f, [1, 64, 12, 12], [2, 64, 3, 3], padding=1, note='(K=576: several im2col blocks)')
    conv2d_case(f, [1, 2, 3, 5], [70, 2, 1, 1], note='(70 filters: two gemm panels)')

    # --- conv1d
    conv1d_case(f, [2, 3, 11], [4, 3, 3], padding=1)
    conv1d_case(f, [1, 2, 10], [3, 2, 4], stride=2, padding=0, bias=False)
    conv1d_case(f, [1, 3, 9], [2, 3, 3], padding='same')
    conv1d_case(f, [2, 2, 8], [3, 2, 4], padding='same', dilation=2, note='(even kernel)')
    conv1d_case(f, [1, 2, 12], [3, 2, 4], padding='same', bias=False, note='(even kernel)')
    conv1d_case(f, [1, 3, 13], [2, 3, 3], stride=3, padding=2)
    conv1d_case(f, [2, 2, 14], [3, 2, 3], padding=3, dilation=3)
    conv1d_case(f, [1, 4, 9], [6, 2, 3], padding=1, groups=2)
    conv1d_case(f, [2, 3, 8], [6, 1, 5], padding=2, groups=3, note='(depthwise ×2)')
    conv1d_case(f, [1, 6, 10], [3, 2, 2], stride=2, groups=3, bias=False)
    conv1d_case(f, [3, 2, 7], [2, 2, 3], padding='valid')

    # --- conv_transpose2d (weight: in, out/groups, kh, kw)
    convt_case(f, [1, 3, 4, 5], [3, 2, 3, 3], stride=2, padding=1, output_padding=1)
    convt_case(f, [1, 2, 3, 4], [2, 4, 3, 4], stride=(2, 3), padding=(1, 0), output_padding=(1, 2))
    convt_case(f, [2, 2, 4, 3], [2, 3, 3, 2], stride=1, padding=0, bias=False)
    convt_case(f, [1, 2, 4, 4], [2, 2, 3, 3], stride=2, padding=1, dilation=2)
    convt_case(f, [1, 2, 5, 4], [2, 3, 3, 2], stride=1, padding=(1, 0), output_padding=1, dilation=2)
    convt_case(f, [2, 4, 3, 4], [4, 3, 3, 3], stride=2, padding=1, groups=2)
    convt_case(f, [1, 6, 3, 3], [6, 1, 2, 2], stride=2, groups=3, bias=False)
    convt_case(f, [2, 3, 4, 4], [3, 2, 4, 4], stride=2, padding=1)
    convt_case(f, [1, 3, 3, 5], [3, 2, 2, 3], stride=(3, 2), padding=(0, 1), output_padding=(2, 1),
               dilation=(1, 2))
    convt_case(f, [1, 4, 2, 3], [4, 2, 3, 3], stride=3, padding=2, output_padding=1, groups=2)
    return f


# ---------------------------------------------------------------------------------------------
# pool.json: max/avg pool 2d and 1d, adaptive pools

def max_pool2d_case(f, x_shape, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, note=''):
    args = {'kernel_size': kernel_size, 'stride': stride, 'padding': padding, 'dilation': dilation,
            'ceil_mode': ceil_mode}
    g = Gen(key_of('max_pool2d', x_shape, args))
    x = g.randn(*x_shape)
    y = F.max_pool2d(x, kernel_size, stride=stride, padding=padding, dilation=dilation, ceil_mode=ceil_mode)
    name = (f'x={shp(x_shape)} k={kxk(kernel_size)} s={v2(stride) if stride is not None else "None"} '
            f'p={v2(padding)} d={v2(dilation)} ceil={ceil_mode}{" " + note if note else ""}')
    f.add(name, 'max_pool2d', args, {'input': x}, y)


def avg_pool2d_case(f, x_shape, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                    note=''):
    args = {'kernel_size': kernel_size, 'stride': stride, 'padding': padding, 'ceil_mode': ceil_mode,
            'count_include_pad': count_include_pad}
    g = Gen(key_of('avg_pool2d', x_shape, args))
    x = g.randn(*x_shape)
    y = F.avg_pool2d(x, kernel_size, stride=stride, padding=padding, ceil_mode=ceil_mode,
                     count_include_pad=count_include_pad)
    name = (f'x={shp(x_shape)} k={kxk(kernel_size)} s={v2(stride) if stride is not None else "None"} '
            f'p={v2(padding)} ceil={ceil_mode} count_include_pad={count_include_pad}{" " + note if note else ""}')
    f.add(name, 'avg_pool2d', args, {'input': x}, y)


def max_pool1d_case(f, x_shape, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, note=''):
    args = {'kernel_size': kernel_size, 'stride': stride, 'padding': padding, 'dilation': dilation,
            'ceil_mode': ceil_mode}
    g = Gen(key_of('max_pool1d', x_shape, args))
    x = g.randn(*x_shape)
    y = F.max_pool1d(x, kernel_size, stride=stride, padding=padding, dilation=dilation, ceil_mode=ceil_mode)
    name = (f'x={shp(x_shape)} k={kernel_size} s={stride} p={padding} d={dilation} ceil={ceil_mode}'
            f'{" " + note if note else ""}')
    f.add(name, 'max_pool1d', args, {'input': x}, y)


def avg_pool1d_case(f, x_shape, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                    note=''):
    args = {'kernel_size': kernel_size, 'stride': stride, 'padding': padding, 'ceil_mode': ceil_mode,
            'count_include_pad': count_include_pad}
    g = Gen(key_of('avg_pool1d', x_shape, args))
    x = g.randn(*x_shape)
    y = F.avg_pool1d(x, kernel_size, stride=stride, padding=padding, ceil_mode=ceil_mode,
                     count_include_pad=count_include_pad)
    name = (f'x={shp(x_shape)} k={kernel_size} s={stride} p={padding} ceil={ceil_mode} '
            f'count_include_pad={count_include_pad}{" " + note if note else ""}')
    f.add(name, 'avg_pool1d', args, {'input': x}, y)


def adaptive_case(f, op, x_shape, output_size):
    args = {'output_size': output_size}
    g = Gen(key_of(op, x_shape, args))
    x = g.randn(*x_shape)
    fn = F.adaptive_avg_pool2d if op == 'adaptive_avg_pool2d' else F.adaptive_max_pool2d
    y = fn(x, output_size)
    f.add(f'x={shp(x_shape)} output_size={v2(output_size)}', op, args, {'input': x}, y)


def build_pool():
    f = File('pool.json')
    # --- max_pool2d
    max_pool2d_case(f, [1, 2, 7, 6], 2, 2)
    max_pool2d_case(f, [1, 2, 7, 6], 2, 2, ceil_mode=True, note='(ceil adds a partial window)')
    max_pool2d_case(f, [2, 3, 8, 7], 3, 2, padding=1)
    max_pool2d_case(f, [1, 2, 8, 8], 3, 2, padding=1, ceil_mode=True)
    max_pool2d_case(f, [1, 2, 5, 5], 2, 2, padding=1, ceil_mode=True,
                    note='(ceil drops the last window: it would start in the right padding)')
    max_pool2d_case(f, [1, 1, 7, 7], 2, 3, padding=1, ceil_mode=True, note='(ceil window dropped)')
    max_pool2d_case(f, [1, 2, 6, 6], 3, 2, ceil_mode=True)
    max_pool2d_case(f, [2, 2, 7, 6], (3, 2), (2, 1), padding=(1, 0))
    max_pool2d_case(f, [1, 2, 9, 8], 3, 1, dilation=2)
    max_pool2d_case(f, [1, 2, 9, 8], 2, 2, padding=1, dilation=(2, 1), ceil_mode=True)
    max_pool2d_case(f, [2, 2, 9, 7], 3, None, ceil_mode=True, note='(stride defaults to kernel)')
    max_pool2d_case(f, [2, 2, 9, 7], 3, None)
    max_pool2d_case(f, [1, 3, 5, 6], 3, 1, padding=1)
    max_pool2d_case(f, [1, 2, 10, 9], (2, 4), (3, 2), padding=(1, 2), ceil_mode=True)
    # --- avg_pool2d
    avg_pool2d_case(f, [1, 3, 6, 7], 2, 2)
    avg_pool2d_case(f, [2, 2, 7, 6], 3, 2, padding=1, count_include_pad=True)
    avg_pool2d_case(f, [2, 2, 7, 6], 3, 2, padding=1, count_include_pad=False)
    avg_pool2d_case(f, [1, 2, 8, 8], 3, 2, padding=1, ceil_mode=True, count_include_pad=True,
                    note='(last window overhangs the right padding)')
    avg_pool2d_case(f, [1, 2, 8, 8], 3, 2, padding=1, ceil_mode=True, count_include_pad=False)
    avg_pool2d_case(f, [1, 2, 7, 5], 2, 2, ceil_mode=True, note='(overhang, no padding)')
    avg_pool2d_case(f, [2, 2, 7, 6], (3, 2), (2, 1), padding=(1, 1), count_include_pad=True)
    avg_pool2d_case(f, [1, 1, 5, 5], 2, 2, padding=1, ceil_mode=True, count_include_pad=True,
                    note='(ceil window dropped)')
    avg_pool2d_case(f, [1, 1, 5, 5], 2, 2, padding=1, ceil_mode=True, count_include_pad=False,
                    note='(ceil window dropped)')
    avg_pool2d_case(f, [1, 2, 9, 10], 4, 3, padding=2, ceil_mode=True, count_include_pad=True)
    avg_pool2d_case(f, [1, 2, 9, 10], 4, 3, padding=2, ceil_mode=True, count_include_pad=False)
    avg_pool2d_case(f, [2, 3, 9, 7], 3, None, note='(stride defaults to kernel)')
    # --- 1d
    max_pool1d_case(f, [2, 3, 11], 3, 2)
    max_pool1d_case(f, [1, 2, 11], 2, 2, ceil_mode=True)
    max_pool1d_case(f, [1, 2, 10], 3, 2, padding=1, ceil_mode=True)
    max_pool1d_case(f, [2, 2, 9], 3, 1, padding=1, dilation=2)
    max_pool1d_case(f, [1, 1, 5], 2, 2, padding=1, ceil_mode=True, note='(ceil window dropped)')
    max_pool1d_case(f, [2, 2, 10], 3, None, ceil_mode=True, note='(stride defaults to kernel)')
    avg_pool1d_case(f, [2, 3, 11], 3, 2)
    avg_pool1d_case(f, [1, 2, 10], 3, 2, padding=1, count_include_pad=True)
    avg_pool1d_case(f, [1, 2, 10], 3, 2, padding=1, count_include_pad=False)
    avg_pool1d_case(f, [2, 2, 9], 2, 2, ceil_mode=True)
    avg_pool1d_case(f, [1, 2, 8], 3, 2, padding=1, ceil_mode=True, count_include_pad=True)
    # --- adaptive
    for op in ('adaptive_avg_pool2d', 'adaptive_max_pool2d'):
        adaptive_case(f, op, [1, 2, 7, 5], (3, 2))
        adaptive_case(f, op, [2, 3, 6, 6], 4)
        adaptive_case(f, op, [1, 2, 5, 7], (5, 7))
        adaptive_case(f, op, [2, 2, 8, 6], 1)
        adaptive_case(f, op, [1, 2, 3, 4], (5, 6))
        adaptive_case(f, op, [1, 3, 10, 9], (4, 7))
    return f


# ---------------------------------------------------------------------------------------------
# misc.json: linear, batch_norm, interpolate, pad, cat, flatten

def build_misc():
    f = File('misc.json')

    def linear(x_shape, out_f, bias=True):
        in_f = x_shape[-1]
        args = {}
        g = Gen(key_of('linear', (x_shape, out_f, bias), args))
        x = g.randn(*x_shape)
        w = g.uniform(out_f, in_f)
        b = g.uniform(out_f) if bias else None
        y = F.linear(x, w, b)
        inputs = {'input': x, 'weight': w}
        if b is not None:
            inputs['bias'] = b
        f.add(f'x={shp(x_shape)} w={shp([out_f, in_f])} {"bias" if bias else "no-bias"}', 'linear', args, inputs, y)

    linear([3, 7], 5)
    linear([4, 6], 3, bias=False)
    linear([2, 4, 6], 3)
    linear([2, 3, 2, 5], 4)
    linear([5, 130], 70, bias=True)
    linear([6], 4)

    def batch_norm(x_shape, eps, affine=True):
        c = x_shape[1]
        args = {'eps': eps, 'training': False}
        g = Gen(key_of('batch_norm', (x_shape, affine), args))
        x = g.randn(*x_shape, scale=2.0)
        mean = g.uniform(c)
        var = g.uniform(c, lo=0.05, hi=2.0)
        w = g.uniform(c, lo=0.5, hi=1.5) if affine else None
        b = g.uniform(c) if affine else None
        y = F.batch_norm(x, mean, var, w, b, training=False, eps=eps)
        inputs = {'input': x, 'running_mean': mean, 'running_var': var}
        if affine:
            inputs['weight'] = w
            inputs['bias'] = b
        f.add(f'x={shp(x_shape)} eps={eps:g} {"affine" if affine else "no-affine"}', 'batch_norm', args, inputs, y)

    batch_norm([2, 3, 4, 5], 1e-5)
    batch_norm([1, 4, 3, 3], 1e-3)
    batch_norm([2, 3, 5, 4], 0.1, affine=False)
    batch_norm([4, 6], 1e-5)
    batch_norm([2, 3, 7], 1e-5)

    def interpolate(x_shape, mode, size=None, scale_factor=None, align_corners=None, note=''):
        args = {'mode': mode, 'size': size, 'scale_factor': scale_factor, 'align_corners': align_corners}
        g = Gen(key_of('interpolate', x_shape, args))
        x = g.randn(*x_shape)
        y = F.interpolate(x, size=size, scale_factor=scale_factor, mode=mode, align_corners=align_corners)
        what = f'size={v2(size)}' if size is not None else f'scale_factor={scale_factor}'
        ac = f' align_corners={align_corners}' if mode != 'nearest' else ''
        f.add(f'x={shp(x_shape)} {mode} {what}{ac}{" " + note if note else ""}', 'interpolate', args, {'input': x}, y)

    interpolate([1, 2, 3, 4], 'nearest', scale_factor=2)
    interpolate([2, 2, 3, 3], 'nearest', scale_factor=3)
    interpolate([1, 2, 3, 4], 'nearest', size=(7, 5))
    interpolate([1, 2, 4, 4], 'nearest', size=(5, 9))
    interpolate([1, 2, 8, 6], 'nearest', size=(3, 4))
    # PyTorch 'nearest' takes src = floor(dst * float32(in/out)) in float32, not the exact ratio:
    # 14 → 46 maps dst 23 to 6 (exact: 7), 26 → 22 maps dst 11 to 12 (exact: 13).
    interpolate([1, 1, 3, 14], 'nearest', size=(5, 46), note='(float32 scale: dst 23 → src 6, not 7)')
    interpolate([1, 1, 26, 3], 'nearest', size=(22, 4), note='(float32 scale: dst 11 → src 12, not 13)')
    interpolate([1, 2, 3, 4], 'bilinear', scale_factor=2, align_corners=False)
    interpolate([2, 2, 3, 4], 'bilinear', scale_factor=2, align_corners=True)
    interpolate([1, 2, 3, 4], 'bilinear', size=(7, 5), align_corners=False)
    interpolate([1, 2, 3, 4], 'bilinear', size=(7, 5), align_corners=True)
    interpolate([1, 2, 8, 6], 'bilinear', size=(3, 4), align_corners=False)
    interpolate([1, 2, 8, 6], 'bilinear', size=(3, 4), align_corners=True)
    interpolate([1, 1, 4, 5], 'bilinear', size=(1, 1), align_corners=True)

    def pad(x_shape, p):
        args = {'pad': p, 'mode': 'constant', 'value': 0.0}
        g = Gen(key_of('pad', x_shape, args))
        x = g.randn(*x_shape)
        y = F.pad(x, p, mode='constant', value=0.0)
        f.add(f'x={shp(x_shape)} pad(left,right,top,bottom)={v2(p)}', 'pad', args, {'input': x}, y)

    pad([1, 2, 3, 4], (1, 2, 0, 3))
    pad([2, 3, 4, 3], (2, 0, 1, 1))
    pad([1, 1, 2, 2], (0, 0, 0, 0))

    def cat(shapes, dim):
        args = {'dim': dim}
        g = Gen(key_of('cat', shapes, args))
        xs = [g.randn(*s) for s in shapes]
        y = torch.cat(xs, dim=dim)
        f.add(f'{" + ".join(shp(s) for s in shapes)} dim={dim}', 'cat', args,
              {f'input{i}': x for i, x in enumerate(xs)}, y)

    cat([[2, 3, 4, 5], [2, 2, 4, 5]], 1)
    cat([[1, 1, 3, 3], [1, 4, 3, 3], [1, 2, 3, 3]], 1)
    cat([[2, 3, 5], [2, 1, 5]], 1)

    def flatten(x_shape, start_dim=1):
        args = {'start_dim': start_dim, 'end_dim': -1}
        g = Gen(key_of('flatten', x_shape, args))
        x = g.randn(*x_shape)
        y = torch.flatten(x, start_dim)
        f.add(f'x={shp(x_shape)} start_dim={start_dim}', 'flatten', args, {'input': x}, y)

    flatten([2, 3, 4, 5])
    flatten([1, 4, 1, 1])
    flatten([3, 2, 3, 1])
    flatten([2, 3, 4, 5], start_dim=2)
    return f


# ---------------------------------------------------------------------------------------------
# activations.json

def build_norm():
    """Group normalization (F.group_norm, what nn.GroupNorm runs), with the module's parameter count."""
    f = File('norm.json')

    def group_norm(x_shape, groups, eps=1e-5, affine=True):
        c = x_shape[1]
        args = {'num_groups': groups, 'eps': eps}
        g = Gen(key_of('group_norm', (x_shape, affine), args))
        x = g.randn(*x_shape, scale=2.0) + 0.5
        w = g.uniform(c, lo=0.5, hi=1.5) if affine else None
        b = g.uniform(c) if affine else None
        y = F.group_norm(x, groups, w, b, eps=eps)
        module = torch.nn.GroupNorm(groups, c, eps=eps, affine=affine)
        args = {**args, 'affine': affine, 'module_params': sum(p.numel() for p in module.parameters())}
        inputs = {'input': x}
        if affine:
            inputs['weight'] = w
            inputs['bias'] = b
        f.add(f'x={shp(x_shape)} groups={groups} eps={eps:g} {"affine" if affine else "no-affine"}', 'group_norm', args, inputs, y)

    group_norm([2, 4, 5, 5], 2)
    group_norm([1, 6, 3, 4], 3, eps=1e-3)
    group_norm([2, 6, 4, 4], 1)
    group_norm([1, 8, 3, 3], 8)
    group_norm([2, 4, 6], 2, affine=False)
    group_norm([1, 32, 7, 7], 8)
    return f


def activation_input(g):
    """120 values spanning [-8, 8]: an even grid plus kinks and points near 0, shuffled."""
    grid = torch.linspace(-8.0, 8.0, 111)
    special = torch.tensor([0.0, -3.0, 3.0, 6.0, -6.0, 1e-3, -1e-3, 0.5, -0.5], dtype=torch.float32)
    v = torch.cat([grid, special])
    return v[g.perm(v.numel())].reshape(2, 4, 3, 5).contiguous()


def build_activations():
    f = File('activations.json')

    def act(op, fn, **kw):
        args = dict(kw)
        g = Gen(key_of('activation', 'x', {}))  # every activation sees the same input
        x = activation_input(g)
        y = fn(x, **kw)
        extra = ' '.join(f'{k}={v2(v)}' for k, v in kw.items())
        f.add(f'{op}{"(" + extra + ")" if extra else ""} x={shp(x.shape)} in [-8,8]', op, args, {'input': x}, y)

    act('relu', F.relu)
    act('relu6', F.relu6)
    act('leaky_relu', F.leaky_relu, negative_slope=0.01)
    act('leaky_relu', F.leaky_relu, negative_slope=0.2)
    act('elu', F.elu, alpha=1.0)
    act('elu', F.elu, alpha=0.5)
    act('selu', F.selu)
    act('gelu', F.gelu, approximate='none')
    act('gelu', F.gelu, approximate='tanh')
    act('sigmoid', torch.sigmoid)
    act('hardsigmoid', F.hardsigmoid)
    act('tanh', torch.tanh)
    act('softmax', F.softmax, dim=1)
    act('softmax', F.softmax, dim=-1)
    act('softmax', F.softmax, dim=2)
    act('log_softmax', F.log_softmax, dim=1)
    act('log_softmax', F.log_softmax, dim=-1)
    act('softplus', F.softplus)
    act('softsign', F.softsign)
    act('silu', F.silu)
    return f


# ---------------------------------------------------------------------------------------------
# layers.json: padding modes, pixel (un)shuffle, instance norm, PReLU, hardtanh

def build_layers():
    f = File('layers.json')

    def pad(x_shape, p, mode, value=0.0):
        args = {'pad': p, 'mode': mode, 'value': value}
        x = Gen(key_of('pad', x_shape, args)).randn(*x_shape)
        y = F.pad(x, p, mode=mode, value=value) if mode == 'constant' else F.pad(x, p, mode=mode)
        f.add(f'x={shp(x_shape)} pad={v2(p)} {mode} value={value}', 'pad', args, {'input': x}, y)

    pad([1, 2, 5, 4], (1, 2, 3, 0), 'constant', 0.5)
    pad([2, 1, 4, 5], (-1, 2, 1, -2), 'constant', -1.0)     # negative pads crop
    pad([1, 2, 4, 3], (1, 1, 2, 2, 1, 0), 'constant', 0.0)  # pads the channels too
    pad([1, 3, 7], (2, 3), 'constant', 2.0)
    pad([1, 2, 5, 4], (3, 2, 4, 1), 'reflect')               # pad = size − 1 on both axes
    pad([2, 3, 6], (5, 1), 'reflect')
    pad([1, 2, 3, 4], (4, 0, 1, 5), 'replicate')
    pad([2, 2, 5], (3, 2), 'replicate')
    pad([1, 2, 3, 4], (4, 4, 3, 1), 'circular')              # pad = size: wraps exactly once
    pad([1, 2, 5], (2, 5), 'circular')

    def shuffle(x_shape, r, inverse):
        op = 'pixel_unshuffle' if inverse else 'pixel_shuffle'
        args = {'factor': r}
        x = Gen(key_of(op, x_shape, args)).randn(*x_shape)
        y = F.pixel_unshuffle(x, r) if inverse else F.pixel_shuffle(x, r)
        f.add(f'x={shp(x_shape)} r={r}', op, args, {'input': x}, y)

    shuffle([2, 8, 3, 5], 2, False)
    shuffle([1, 18, 2, 2], 3, False)
    shuffle([2, 3, 4, 6], 2, True)
    shuffle([1, 2, 6, 3], 3, True)

    def instance_norm(x_shape, affine, stats, eps=1e-5):
        args = {'affine': affine, 'track_running_stats': stats, 'eps': eps}
        g = Gen(key_of('instance_norm', x_shape, args))
        x = g.randn(*x_shape, scale=2.0) + 0.5
        c = x_shape[1]
        inputs = {'input': x}
        if affine:
            inputs['weight'] = g.uniform(c, lo=0.5, hi=1.5)
            inputs['bias'] = g.randn(c, scale=0.5)
        if stats:
            inputs['running_mean'] = g.randn(c, scale=0.5)
            inputs['running_var'] = g.uniform(c, lo=0.5, hi=2.0)
        # eval mode: the running statistics when tracked, else each sample's own
        y = F.instance_norm(x, inputs.get('running_mean'), inputs.get('running_var'), inputs.get('weight'),
                            inputs.get('bias'), use_input_stats=not stats, eps=eps)
        f.add(f'x={shp(x_shape)} affine={affine} track_running_stats={stats} eps={eps}', 'instance_norm', args,
              inputs, y)

    instance_norm([2, 3, 4, 5], False, False)
    instance_norm([1, 4, 3, 3], True, False, 1e-3)
    instance_norm([2, 3, 7], True, False)
    instance_norm([2, 3, 4, 4], True, True)

    def prelu(x_shape, n):
        args = {'num_parameters': n}
        g = Gen(key_of('prelu', x_shape, args))
        x = g.randn(*x_shape)
        w = g.uniform(n, lo=0.0, hi=0.5)
        f.add(f'x={shp(x_shape)} num_parameters={n}', 'prelu', args, {'input': x, 'weight': w}, F.prelu(x, w))

    prelu([2, 3, 4, 4], 3)
    prelu([1, 4, 6], 4)
    prelu([2, 3, 2, 2], 1)

    def hardtanh(x_shape, lo, hi):
        args = {'min_val': lo, 'max_val': hi}
        x = Gen(key_of('hardtanh', x_shape, args)).randn(*x_shape, scale=2.0)
        f.add(f'x={shp(x_shape)} min={lo} max={hi}', 'hardtanh', args, {'input': x}, F.hardtanh(x, lo, hi))

    hardtanh([1, 2, 4, 4], -1.0, 1.0)
    hardtanh([2, 3, 5], -0.25, 2.5)
    return f


# tensor_ops.json: what forward() does with tensors besides layers

def build_tensor_ops():
    """Broadcasting arithmetic, arithmetic with numbers, permute/transpose, squeeze/unsqueeze,
    reductions, chunk/split pieces (one case per piece: args index and count), and the errors
    PyTorch raises for bad shapes or dims (errors: PyTorch's first message line)."""
    f = File('tensor_ops.json')

    def binary(op, a_shape, b_shape):
        args = {'op': op}
        g = Gen(key_of('binary', [a_shape, b_shape], args))
        a = g.randn(*a_shape)
        b = g.uniform(*b_shape, lo=0.5, hi=2.0) * torch.sign(g.randn(*b_shape)) if op == 'div' else g.randn(*b_shape)
        fn = {'add': torch.add, 'sub': torch.sub, 'mul': torch.mul, 'div': torch.div,
              'maximum': torch.maximum, 'minimum': torch.minimum}[op]
        f.add(f'{op} {shp(a_shape)} with {shp(b_shape)}', 'binary', args, {'a': a, 'b': b}, fn(a, b))

    binary('mul', [2, 4, 3, 5], [2, 4, 1, 1])
    binary('mul', [2, 4, 3, 5], [2, 4, 3, 5])
    binary('add', [2, 4, 3, 5], [4, 1, 1])
    binary('sub', [3, 1, 5], [1, 4, 1])
    binary('div', [2, 3, 4, 5], [5])
    binary('div', [2, 3, 1, 1], [2, 3, 4, 5])
    binary('add', [1], [2, 3])
    binary('maximum', [2, 3, 1], [1, 3, 4])
    binary('minimum', [2, 3, 4], [4])

    def scalar(op, value, scalar_first, positive=False):
        args = {'op': op, 'value': value, 'scalarFirst': scalar_first}
        g = Gen(key_of('scalar', [2, 3, 4, 5], args))
        x = g.uniform(2, 3, 4, 5, lo=0.1, hi=3.0) if positive else g.randn(2, 3, 4, 5)
        fns = {
            ('add', False): lambda t: t + value, ('add', True): lambda t: value + t,
            ('sub', False): lambda t: t - value, ('sub', True): lambda t: value - t,
            ('mul', False): lambda t: t * value, ('mul', True): lambda t: value * t,
            ('div', False): lambda t: t / value, ('div', True): lambda t: value / t,
            ('pow', False): lambda t: t ** value, ('pow', True): lambda t: value ** t,
        }
        side = f'{value} {op} x' if scalar_first else f'x {op} {value}'
        f.add(side, 'scalar', args, {'input': x}, fns[(op, scalar_first)](x))

    scalar('mul', 0.5, False)
    scalar('add', 1, False)
    scalar('sub', 0.25, False)
    scalar('sub', 1, True)
    scalar('div', 255, False)
    scalar('div', 0.3, False)
    scalar('div', 2, True)
    scalar('mul', -1, True)
    scalar('pow', 2, False)
    scalar('pow', 0.5, False, positive=True)
    scalar('pow', 2, True)

    def unary(op, x_shape, args, fn, outputs=None):
        g = Gen(key_of(op, x_shape, args))
        x = g.randn(*x_shape)
        y = fn(x)
        if isinstance(y, (tuple, list)):
            for i, piece in enumerate(y):
                a = {**args, 'index': i, 'count': len(y)}
                f.add(f'x={shp(x_shape)} {json.dumps(jsonable(args), sort_keys=True)} piece {i}', op, a,
                      {'input': x}, piece)
        else:
            f.add(f'x={shp(x_shape)} {json.dumps(jsonable(args), sort_keys=True)}', op, args, {'input': x}, y)

    for dims in ([0, 2, 3, 1], [3, 1, 0, 2], [0, -1, 1, 2]):
        unary('permute', [2, 3, 4, 5], {'dims': dims}, lambda t, d=dims: t.permute(*d))
    unary('permute', [2, 3, 4], {'dims': [2, 0, 1]}, lambda t: t.permute(2, 0, 1))
    for d0, d1 in ((1, 2), (-1, -2), (0, 3)):
        unary('transpose', [2, 3, 4, 5], {'dim0': d0, 'dim1': d1}, lambda t, a=d0, b=d1: t.transpose(a, b))
    for dim in (1, -1, 0, None):
        unary('squeeze', [2, 1, 3, 1], {'dim': dim},
              lambda t, d=dim: t.squeeze() if d is None else t.squeeze(d))
    for dim in (0, -1, 1, 3):
        unary('unsqueeze', [2, 3, 4], {'dim': dim}, lambda t, d=dim: t.unsqueeze(d))

    def red(op, dim, keepdim, x_shape=(2, 3, 4, 5)):
        args = {'dim': dim, 'keepdim': keepdim}
        fn = {'mean': torch.mean, 'sum': torch.sum, 'amax': torch.amax, 'amin': torch.amin,
              'argmax': torch.argmax, 'argmin': torch.argmin}[op]
        if dim is None:
            call = (lambda t: fn(t)) if op in ('mean', 'sum', 'argmax', 'argmin') else (lambda t: fn(t, dim=()))
        else:
            call = lambda t: fn(t, dim=dim, keepdim=keepdim)
        unary(op, list(x_shape), args, lambda t: call(t).to(torch.float32))

    red('mean', [2, 3], False)
    red('mean', [2, 3], True)
    red('mean', 1, False)
    red('mean', None, False)
    red('sum', [-1], False)
    red('sum', [0, 2], True)
    red('sum', None, False)
    red('amax', [2, 3], False)
    red('amin', 1, True)
    red('amax', None, False)
    red('argmax', 2, False)
    red('argmin', -1, True)
    red('argmax', None, False)
    for op in ('max', 'min'):
        for dim, keepdim in ((1, False), (-1, True)):
            args = {'dim': dim, 'keepdim': keepdim}
            fn = torch.max if op == 'max' else torch.min
            unary(f'{op}_values', [2, 3, 4, 5], args, lambda t, d=dim, k=keepdim, fn=fn: fn(t, d, k).values)
            unary(f'{op}_indices', [2, 3, 4, 5], args,
                  lambda t, d=dim, k=keepdim, fn=fn: fn(t, d, k).indices.to(torch.float32))

    unary('chunk', [2, 6, 3, 3], {'chunks': 2, 'dim': 1}, lambda t: t.chunk(2, dim=1))
    unary('chunk', [2, 5, 3], {'chunks': 4, 'dim': 1}, lambda t: t.chunk(4, dim=1))
    unary('chunk', [2, 3, 7], {'chunks': 3, 'dim': -1}, lambda t: t.chunk(3, dim=-1))
    unary('split', [2, 6, 3, 3], {'split_size_or_sections': 4, 'dim': 1}, lambda t: t.split(4, dim=1))
    unary('split', [2, 6, 3, 3], {'split_size_or_sections': [1, 2, 3], 'dim': 1},
          lambda t: t.split([1, 2, 3], dim=1))
    unary('split', [2, 3, 7], {'split_size_or_sections': 3, 'dim': -1}, lambda t: t.split(3, dim=-1))

    f.add_error('mul (2,4,3) with (2,3,3)', 'binary', {'op': 'mul'}, [[2, 4, 3], [2, 3, 3]], lambda a, b: a * b)
    f.add_error('add (2,8,4,4) with (2,4,1,1)', 'binary', {'op': 'add'}, [[2, 8, 4, 4], [2, 4, 1, 1]],
                lambda a, b: a + b)
    f.add_error('transpose(1, 4) of rank 4', 'transpose', {'dim0': 1, 'dim1': 4}, [[2, 3, 4, 5]],
                lambda t: t.transpose(1, 4))
    f.add_error('mean(dim=-5) of rank 4', 'mean', {'dim': -5, 'keepdim': False}, [[2, 3, 4, 5]],
                lambda t: t.mean(-5))
    f.add_error('unsqueeze(4) of rank 3', 'unsqueeze', {'dim': 4}, [[2, 3, 4]], lambda t: t.unsqueeze(4))
    f.add_error('squeeze(3) of rank 3', 'squeeze', {'dim': 3}, [[2, 1, 4]], lambda t: t.squeeze(3))
    f.add_error('permute(0, 4, 1, 2) of rank 4', 'permute', {'dims': [0, 4, 1, 2]}, [[2, 3, 4, 5]],
                lambda t: t.permute(0, 4, 1, 2))
    f.add_error('split([2, 3], dim=1) of 6 channels', 'split', {'split_size_or_sections': [2, 3], 'dim': 1},
                [[2, 6, 3]], lambda t: t.split([2, 3], dim=1))
    f.add_error('chunk(0)', 'chunk', {'chunks': 0, 'dim': 1}, [[2, 6, 3]], lambda t: t.chunk(0, dim=1))
    f.add_error('split(0) of 6 channels', 'split', {'split_size_or_sections': 0, 'dim': 1}, [[2, 6, 3]],
                lambda t: t.split(0, dim=1))
    return f


def main():
    total = 0
    with torch.no_grad():
        files = [build_conv(), build_pool(), build_misc(), build_activations(), build_norm(), build_layers(),
                 build_tensor_ops()]
    for f in files:
        path, n, size = f.write()
        total += size
        print(f'{os.path.relpath(path, ROOT)}: {n} cases, {size / 1024:.1f} KiB')
    print(f'total {total / 1024:.1f} KiB (torch {torch.__version__})')


if __name__ == '__main__':
    main()
