#!/usr/bin/python3
"""
PyTorch oracle for the two-module package test/fixtures/models/torch/pkg_import/ (a model whose
blocks are imported from another module). Imports pkg_import.model with real PyTorch, runs its
model on its example input with forward hooks on every leaf module, and writes
pkg_import/model.oracle.json: each leaf's named_modules() name, type, output shape (without the
batch), own parameters and own floating-point buffers, and the totals.
    /usr/bin/python3 scripts/gen-torch-pkg-import.py
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', 'test', 'fixtures', 'models', 'torch')
sys.path.insert(0, ROOT)

import torch  # noqa: E402

import pkg_import.model as m  # noqa: E402

rows = []
names = {mod: name for name, mod in m.model.named_modules()}


def hook(mod, inputs, out):
    rows.append({
        'name': names[mod],
        'type': type(mod).__name__,
        'outputShape': list(out.shape[1:]),
        'params': sum(p.numel() for p in mod.parameters(recurse=False)),
        'buffers': sum(b.numel() for b in mod.buffers(recurse=False) if b.is_floating_point()),
    })


for mod in m.model.modules():
    if not list(mod.children()):
        mod.register_forward_hook(hook)
m.model.eval()
with torch.no_grad():
    m.model(m.x)
oracle = {
    'file': 'pkg_import/model.py',
    'generator': 'scripts/gen-torch-pkg-import.py',
    'torch': torch.__version__,
    'inputShape': list(m.x.shape[1:]),
    'totalParams': sum(p.numel() for p in m.model.parameters()),
    'buffers': sum(b.numel() for b in m.model.buffers() if b.is_floating_point()),
    'layers': rows,
}
with open(os.path.join(ROOT, 'pkg_import', 'model.oracle.json'), 'w') as f:
    json.dump(oracle, f, indent=1)
    f.write('\n')
