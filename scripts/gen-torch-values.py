#!/usr/bin/env python3
"""
PyTorch oracle for the analyzer's small tensors of numbers (src/analysis/frameworks/tensorValues.ts):
expressions model code evaluates on tensors built from Python numbers before any layer exists
(RegNet's stage widths), each run in real PyTorch and written with its result as Python sees it
(`.tolist()` of a tensor, numbers as they are) to test/fixtures/torch/tensor_values.json, read by
test/unit/analysis/tensor-values.test.ts:
    { "generator", "torch": <version>, "cases": [ {"expr": "...", "value": ...}, ... ] }
Floats are written with repr(), so a float32 value arrives exactly.

    /usr/bin/python3 scripts/gen-torch-values.py            # (re)write the file
    /usr/bin/python3 scripts/gen-torch-values.py --check    # exit 1 if it is stale
"""
import json
import math
import os
import sys

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'torch', 'tensor_values.json')

EXPRS = [
    'torch.arange(5).tolist()',
    'torch.arange(2, 11, 3).tolist()',
    'torch.arange(0.5, 2.0, 0.25).tolist()',
    '(torch.arange(6) * 27.89 + 48).tolist()',
    '(torch.arange(4) * 2 + 1).tolist()',
    '(torch.arange(4) / 3).tolist()',
    '(torch.arange(-3, 4) // 2).tolist()',
    '(torch.arange(-3, 4) % 3).tolist()',
    '(torch.arange(5) ** 2).tolist()',
    '(2 ** torch.arange(5)).tolist()',
    '(1 - torch.arange(3) * 0.1).tolist()',
    'torch.round(torch.tensor([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999])).tolist()',
    'torch.log(torch.tensor([1.0, 2.0, 10.0])).tolist()',
    'torch.exp(torch.tensor([0.0, 1.0, -2.5])).tolist()',
    'torch.sqrt(torch.arange(5)).tolist()',
    'torch.pow(2.09, torch.tensor([0.0, 1.0, 2.0, 3.0])).tolist()',
    'torch.pow(torch.tensor([1.5, 2.0]), 3).tolist()',
    'torch.divide(torch.tensor([7, -7]), 2).tolist()',
    'torch.div(torch.tensor([7, -7]), 2, rounding_mode="floor").tolist()',
    'torch.div(torch.tensor([7, -7]), 2, rounding_mode="trunc").tolist()',
    'torch.div(torch.tensor([7.5, -7.5]), 2, rounding_mode="floor").tolist()',
    'torch.tensor([-2.7, -0.2, 0.2, 2.7]).int().tolist()',
    'torch.tensor([[1, 2], [3, 4]]).tolist()',
    '(torch.tensor([[1, 2], [3, 4]]) * torch.tensor([10, 100])).tolist()',
    '(torch.tensor([[1], [2]]) + torch.tensor([10, 20, 30])).tolist()',
    'torch.tensor([True, False]).int().tolist()',
    '(torch.tensor([True, False]) + 1).tolist()',
    'torch.tensor([1, 2]).float().tolist()',
    'torch.diff(torch.tensor([0, 3, 4, 9])).tolist()',
    'torch.unique(torch.tensor([3, 1, 3, 2, 1])).tolist()',
    '[t.tolist() for t in torch.unique(torch.tensor([24, 56, 152, 152, 368, 368, 368]), return_counts=True)]',
    '[t.tolist() for t in torch.linspace(0, 0.1, 6).split([1, 2, 3])]',
    '[t.tolist() for t in torch.arange(5).split(2)]',
    'len(torch.unique(torch.tensor([2, 2, 7])))',
    'torch.cumsum(torch.tensor([1, 2, 3]), 0).tolist()',
    'torch.tensor([1, 2, 3, 4]).sum().item()',
    'torch.tensor([1.5, 2.5]).prod().item()',
    'torch.tensor([4, 9, 2]).max().item()',
    'torch.tensor([1.0, 2.0, 4.0]).mean().item()',
    'torch.linspace(0, 1, 7).tolist()',
    'torch.linspace(-1, 1, 4).tolist()',
    'torch.full((2, 2), 7).tolist()',
    '(torch.ones(2, 1, 1) * 1e-6).tolist()',
    'torch.zeros(3).tolist()',
    'torch.tensor(3.7).item()',
    'torch.tensor([1, 2, 3]).numel()',
    'torch.tensor([[1, 2, 3]]).size()',
    'torch.tensor([1, 2, 3], dtype=torch.float32).tolist()',
    '(torch.arange(4).float() / 3).tolist()',
    'torch.tensor([0.1, 0.2]).double().tolist()',
    'torch.arange(6).view(2, -1).tolist()',
    'torch.arange(6).reshape((3, 2)).tolist()',
    '(torch.ones(3) * 0.5).view(1, -1, 1, 1).tolist()',
    'torch.tensor([1, 2]).unsqueeze(0).tolist()',
    'torch.tensor([1, 2]).unsqueeze(-1).tolist()',
    # torchvision RegNet's BlockParams.from_init_params, for regnet_y_400mf and regnet_x_400mf
    '(torch.round(torch.divide(48 * torch.pow(2.09, torch.round(torch.log((torch.arange(16) * 27.89 + 48) / 48)'
    ' / math.log(2.09))), 8)) * 8).int().tolist()',
    '(torch.round(torch.divide(24 * torch.pow(2.54, torch.round(torch.log((torch.arange(22) * 24.48 + 24) / 24)'
    ' / math.log(2.54))), 8)) * 8).int().tolist()',
]


def plain(v):
    if isinstance(v, torch.Size):
        return list(v)
    if isinstance(v, tuple):
        return list(v)
    return v


def main():
    cases = [{'expr': e, 'value': plain(eval(e, {'torch': torch, 'math': math}))} for e in EXPRS]
    head = json.dumps({'generator': 'scripts/gen-torch-values.py', 'torch': torch.__version__})[:-1]
    text = head + ', "cases": [\n' + ',\n'.join(json.dumps(c) for c in cases) + '\n]}\n'
    if '--check' in sys.argv:
        with open(OUT) as f:
            sys.exit(0 if f.read() == text else 1)
    with open(OUT, 'w') as f:
        f.write(text)
    print(f'{len(cases)} cases -> {os.path.relpath(OUT)}')


main()
