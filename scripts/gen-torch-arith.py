#!/usr/bin/env python3
"""
Numeric oracle for element-wise tensor arithmetic written in forward() and for nn.Conv1d/Conv2d's
padding_mode, for test/unit/runtime/torch-arith.test.ts.

Run:
    /usr/bin/python3 scripts/gen-torch-arith.py           # (re)write the fixture
    /usr/bin/python3 scripts/gen-torch-arith.py --check   # exit 1 if the fixture is stale

Needs PyTorch and numpy; re-executes itself with /usr/bin/python3 (Debian's python3-torch) when
`import torch` fails in the interpreter it was started with.

Each case is a small module written as users write it (its Python source is stored in the
fixture and is what the test analyzes). For a case that runs, the source is executed after
torch.manual_seed(SEED) (default initialisation, so weights are fixed), the model is put in eval
mode and run under torch.no_grad() on torch.randn(1, *inputShape) drawn after
torch.manual_seed(SEED + 1), with forward hooks on every leaf module (a module called k >= 2
times is saved as "<name>@k"). For a case PyTorch refuses, the exception PyTorch raises (at
construction or at the call) is recorded instead.

Output: test/fixtures/torch-arith/cases.json:
    {"torch": version, "seed": SEED, "cases": [
       {"id", "source", "inputShape" (without batch),
        "input": T, "weights": {name: T} (state_dict order), "layers": [{"name", "type", "out": T}],
        "output": T}
     or {"id", "source", "inputShape", "error": {"type", "message"}}]}
    where T = {"shape": [...], "data": base64 of float32 little-endian values, row-major}.

Deterministic: fixed seeds, one CPU thread, fixed JSON formatting; re-running with the same torch
writes a byte-identical file.
"""
import os
import sys

REEXEC_ENV = 'CONVLENS_TORCH_ARITH_REEXEC'
SYSTEM_PYTHON = '/usr/bin/python3'

try:
    import numpy as np
    import torch
except ImportError as err:  # pragma: no cover - environment dependent
    here = os.path.realpath(sys.executable or '')
    if (not os.environ.get(REEXEC_ENV) and os.path.exists(SYSTEM_PYTHON)
            and here != os.path.realpath(SYSTEM_PYTHON)):
        os.environ[REEXEC_ENV] = '1'
        print(f'gen-torch-arith: {err}; re-running with {SYSTEM_PYTHON}', file=sys.stderr)
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__), *sys.argv[1:]])
    sys.exit(f'gen-torch-arith: cannot import torch/numpy ({err}) with {sys.executable}.')

import base64
import json
import re
import warnings

# torch 1.13 warns that 'same' with an even kernel copies the input: not part of the oracle
warnings.filterwarnings('ignore', message="Using padding='same'")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'torch-arith', 'cases.json')
SEED = 18

HEADER = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\n'


def module(init, forward, extra=''):
    """A module `Net` with the given __init__ body and forward body, and `model = Net()`."""
    ind = lambda body, n: '\n'.join((' ' * n + l) if l else '' for l in body.strip('\n').split('\n'))
    return (HEADER + extra + 'class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n'
            + ind(init, 8) + '\n\n    def forward(self, x):\n' + ind(forward, 8) + '\n\n\nmodel = Net()\n')


TWO_CONVS = 'self.a = nn.Conv2d(3, 4, 3, padding=1)\nself.b = nn.Conv2d(3, 4, 3, padding=1)'

CASES = [
    # tensor with tensor
    ('sub', [3, 6, 5], module(TWO_CONVS, 'return self.a(x) - self.b(x)')),
    ('sub_names', [3, 6, 5], module(TWO_CONVS, 'a = self.a(x)\nb = self.b(x)\nreturn a - b')),
    ('sub_input', [3, 6, 5], module('self.a = nn.Conv2d(3, 3, 3, padding=1)', 'return x - self.a(x)')),
    ('mul', [3, 6, 5], module(TWO_CONVS, 'return self.a(x) * self.b(x)')),
    # the divisor kept away from zero: sigmoid of a small conv output is near 0.5
    ('div', [3, 6, 5], module(TWO_CONVS, 'return self.a(x) / torch.sigmoid(self.b(x))')),
    ('maximum_minimum', [3, 6, 5],
     module(TWO_CONVS, 'a = self.a(x)\nb = self.b(x)\nreturn torch.maximum(a, b) - torch.minimum(a, b) * 2')),
    # tensor with a number
    ('affine_scalar', [3, 6, 5], module('self.a = nn.Conv2d(3, 4, 3)', 'return self.a(x) * 0.5 + 1')),
    ('rsub', [3, 6, 5], module('self.a = nn.Conv2d(3, 4, 3)', 'return 1 - self.a(x)')),
    ('rdiv', [3, 6, 5], module('self.a = nn.Conv2d(3, 4, 3)', 'return 2 / (torch.sigmoid(self.a(x)) + 0.5)')),
    ('pow', [3, 6, 5], module('self.a = nn.Conv2d(3, 4, 3)', 'y = self.a(x)\nreturn y ** 2 - y / 4')),
    ('neg', [3, 6, 5], module('self.a = nn.Conv2d(3, 4, 3)', 'return -self.a(x) + 0.25')),
    ('silu_by_hand', [3, 6, 5], module('self.a = nn.Conv2d(3, 4, 3)', 'y = self.a(x)\nreturn torch.sigmoid(y) * y')),
    # torch.add/sub/mul/div, alpha=, methods
    ('torch_functions', [3, 6, 5], module(
        TWO_CONVS,
        'a = self.a(x)\nb = self.b(x)\n'
        'return torch.add(a, b) * torch.sub(a, b) + torch.mul(a, 3) - torch.div(a, torch.sigmoid(b))')),
    ('alpha', [3, 6, 5], module(
        TWO_CONVS, 'a = self.a(x)\nb = self.b(x)\nreturn torch.add(a, b, alpha=0.5) + torch.sub(a, b, alpha=2)')),
    ('methods', [3, 6, 5], module(
        TWO_CONVS, 'a = self.a(x)\nb = self.b(x)\nreturn a.sub(b).mul(a.add(b, alpha=3)).div(2)')),
    ('rsub_dunder', [3, 6, 5], module(
        TWO_CONVS,
        'a = self.a(x)\nb = self.b(x)\n'
        'return torch.rsub(a, b) + torch.rsub(a, b, alpha=2) * a.__sub__(b) - torch.sigmoid(b).__rtruediv__(2)'
        ' + a.__neg__()')),
    # in place: the name reads the result afterwards
    ('inplace_operators', [3, 6, 5], module(
        TWO_CONVS,
        'y = self.a(x)\nz = self.b(x)\ny += z\ny *= z\ny -= 1\ny /= 2\nreturn torch.relu(y)')),
    ('inplace_methods', [3, 6, 5], module(
        TWO_CONVS,
        'y = self.a(x)\nz = self.b(x)\ny.add_(z)\ny.mul_(0.5)\ny.sub_(z, alpha=2)\nreturn torch.relu(y) - z')),
    # broadcasting
    ('per_channel', [3, 6, 5], module(
        'self.a = nn.Conv2d(3, 4, 3, padding=1)',
        'y = self.a(x)\nscale = y.mean((2, 3), keepdim=True)\nreturn y * scale + (y - y.mean(1, keepdim=True))')),
    ('se_block', [8, 6, 6], module(
        'self.conv = nn.Conv2d(8, 8, 3, padding=1)\n'
        'self.pool = nn.AdaptiveAvgPool2d(1)\n'
        'self.fc = nn.Sequential(nn.Linear(8, 2), nn.ReLU(), nn.Linear(2, 8), nn.Sigmoid())',
        'x = self.conv(x)\nn, c, _, _ = x.size()\ny = self.pool(x).view(n, c)\n'
        'y = self.fc(y).view(n, c, 1, 1)\nreturn x * y')),
    ('broadcast_1d', [3, 10], module(
        'self.a = nn.Conv1d(3, 4, 3)\nself.gate = nn.Conv1d(3, 4, 10)',
        'return self.a(x) * torch.sigmoid(self.gate(x)) - self.gate(x) / 4')),
]

# padding_mode: each mode on Conv2d (stride, dilation, an asymmetric kernel; explicit and 'same')
# and Conv1d
for mode in ['zeros', 'reflect', 'replicate', 'circular']:
    CASES.append((f'conv2d_{mode}', [2, 7, 9], module(
        f"self.c1 = nn.Conv2d(2, 3, (3, 2), stride=(2, 1), padding=(2, 1), dilation=(1, 2), padding_mode='{mode}')\n"
        f"self.c2 = nn.Conv2d(3, 2, kernel_size=(4, 3), padding='same', dilation=(1, 2), padding_mode='{mode}')\n"
        f"self.c3 = nn.Conv2d(2, 4, 3, 2, 1, padding_mode='{mode}', groups=2)",
        'return self.c3(self.c2(self.c1(x)))')))
    CASES.append((f'conv1d_{mode}', [2, 11], module(
        f"self.c1 = nn.Conv1d(2, 3, 4, stride=2, padding=3, dilation=2, padding_mode='{mode}')\n"
        f"self.c2 = nn.Conv1d(3, 2, 4, padding='same', padding_mode='{mode}')",
        'return self.c2(self.c1(x))')))

# what PyTorch refuses
CASES += [
    ('error_unknown_mode', [1, 5, 5], module(
        "self.c = nn.Conv2d(1, 2, 3, padding=1, padding_mode='mirror')", 'return self.c(x)')),
    ('error_transpose_2d', [1, 5, 5], module(
        "self.c = nn.ConvTranspose2d(1, 2, 3, padding=1, padding_mode='reflect')", 'return self.c(x)')),
    ('error_transpose_1d', [1, 5], module(
        "self.c = nn.ConvTranspose1d(1, 2, 3, padding_mode='circular')", 'return self.c(x)')),
    ('error_reflect_2d', [1, 3, 3], module(
        "self.c = nn.Conv2d(1, 2, 3, padding=3, padding_mode='reflect')", 'return self.c(x)')),
    ('error_reflect_1d', [1, 3], module(
        "self.c = nn.Conv1d(1, 2, 3, padding=3, padding_mode='reflect')", 'return self.c(x)')),
    ('error_circular', [1, 3, 3], module(
        "self.c = nn.Conv2d(1, 2, 3, padding=4, padding_mode='circular')", 'return self.c(x)')),
    ('error_same_strided', [1, 6, 6], module(
        "self.c = nn.Conv2d(1, 2, 3, stride=2, padding='same', padding_mode='replicate')", 'return self.c(x)')),
]


def encode(t):
    a = np.ascontiguousarray(t.detach().cpu().numpy().astype('<f4'))
    return {'shape': list(a.shape), 'data': base64.b64encode(a.tobytes()).decode('ascii')}


def error_record(e):
    # a set's order in PyTorch's message depends on string hashing: written sorted
    msg = re.sub(r"\{('[a-z]+'(?:, '[a-z]+')*)\}",
                 lambda m: '{' + ', '.join(sorted(m.group(1).split(', '))) + '}', str(e))
    return {'type': type(e).__name__, 'message': msg}


def run_case(cid, shape, source):
    case = {'id': cid, 'source': source, 'inputShape': shape}
    torch.manual_seed(SEED)
    scope = {'__name__': f'case_{cid}'}
    try:
        exec(compile(source, f'{cid}.py', 'exec'), scope)
    except (ValueError, RuntimeError) as e:
        case['error'] = error_record(e)
        return case
    model = scope['model'].eval()
    torch.manual_seed(SEED + 1)
    x = torch.randn(1, *shape)
    names = {m: n for n, m in model.named_modules() if n and not list(m.children())}
    layers = []
    calls = {}

    def hook(m, _inp, out):
        n = names[m]
        calls[n] = calls.get(n, 0) + 1
        key = n if calls[n] == 1 else f'{n}@{calls[n]}'
        layers.append({'name': key, 'type': type(m).__name__, 'out': encode(out.clone())})

    for m in names:
        m.register_forward_hook(hook)
    try:
        with torch.no_grad():
            y = model(x)
    except (ValueError, RuntimeError) as e:
        case['error'] = error_record(e)
        return case
    case['input'] = encode(x)
    case['weights'] = {k: encode(v) for k, v in model.state_dict().items() if v.is_floating_point()}
    case['layers'] = layers
    case['output'] = encode(y)
    return case


def build():
    torch.set_num_threads(1)
    cases = [run_case(*c) for c in CASES]
    doc = {'torch': torch.__version__, 'seed': SEED, 'cases': cases}
    return json.dumps(doc, indent=1) + '\n'


def main(argv):
    text = build()
    if '--check' in argv:
        old = open(OUT, encoding='utf8').read() if os.path.exists(OUT) else None
        if old != text:
            print('gen-torch-arith: stale (re-run without --check): ' + os.path.relpath(OUT, ROOT), file=sys.stderr)
            sys.exit(1)
        print('gen-torch-arith: up to date')
        return
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', encoding='utf8') as f:
        f.write(text)
    print(f'gen-torch-arith: wrote {os.path.relpath(OUT, ROOT)} ({len(CASES)} cases)')


if __name__ == '__main__':
    main(sys.argv[1:])
