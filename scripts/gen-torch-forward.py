#!/usr/bin/env python3
"""
Numeric oracle for running PyTorch models: real PyTorch activations of whole fixture models,
for test/unit/runtime/torch-forward.test.ts.

Run:
    /usr/bin/python3 scripts/gen-torch-forward.py              # (re)write every fixture
    /usr/bin/python3 scripts/gen-torch-forward.py lenet branches
    /usr/bin/python3 scripts/gen-torch-forward.py --check      # exit 1 if a file is stale

Needs PyTorch and numpy; like gen-torch-models.py it re-executes itself with /usr/bin/python3
(Debian's python3-torch) when `import torch` fails in the interpreter it was started with.

For each model in MODELS it:
  1. imports test/fixtures/models/torch/<file>.py as a module after torch.manual_seed(SEED), so
     the model the file builds (the top-level variable named in MODELS) has fixed default weights;
  2. gives every BatchNorm and InstanceNorm random, non-default parameters AND running
     statistics where it has them (weight U(0.5, 1.5), bias N(0, 0.5), running_mean N(0, 0.5),
     running_var U(0.5, 2.0)), so eval-mode BatchNorm really uses mean/var/gamma/beta, and every
     PReLU random slopes U(0, 0.5);
  3. puts the model in eval mode and makes a fixed-seed input torch.randn(1, *inputShape) (the
     file's example shape with batch 1);
  4. runs one forward pass under torch.no_grad() with forward hooks on every leaf module (no
     children), cloning each output when the hook fires (in-place ops later on — ReLU(inplace=True),
     `out += identity` — would otherwise change saved tensors). A module called more than once is
     saved at each call: the k-th call (k >= 2) as "<name>@k";
  5. writes test/fixtures/forward/torch/<model>/:
        weights.safetensors   the state_dict's floating-point tensors (integer buffers such as
                              BatchNorm's num_batches_tracked are left out), little-endian F32,
                              header {"__metadata__": {"format": "pt"}, name: {"dtype": "F32",
                              "shape", "data_offsets": [begin, end]}} in offset (state_dict)
                              order, padded with spaces to a multiple of 8 bytes
        input.npy             float32 (1, *inputShape)
        output.npy            what model(x) returns (after any functional ops at the end)
        layers/<i>_<name>.npy one per leaf-module call, in execution order
        index.json            {"model", "file", "variable", "class", "torch", "seed",
                               "inputShape" (without batch), "input", "output": {"file", "shape"},
                               "weights": {"file", "tensors"},
                               "layers": [{"name", "type", "call", "file", "shape"}]}
                              ("shape" with the batch dimension)

Deterministic: fixed seeds, one CPU thread, fixed file names and JSON formatting; re-running with
the same torch writes byte-identical files.

AlexNet: the fixture alexnet.py has 61 M parameters (its classifier's Linear(9216, 4096) alone is
37.7 M floats, and even its features are 2.5 M floats = 10 MB), too big to commit, so the oracle
uses alexnet_small.py (same layer sequence, narrow widths) on a 3x96x96 input — its
AdaptiveAvgPool2d((6, 6)) turns the 2x2 map of that input into 6x6.
"""
import os
import sys

REEXEC_ENV = 'CONVLENS_TORCH_FORWARD_REEXEC'
SYSTEM_PYTHON = '/usr/bin/python3'

try:
    import numpy as np
    import torch
    import torch.nn as nn
except ImportError as err:  # pragma: no cover - environment dependent
    here = os.path.realpath(sys.executable or '')
    if (not os.environ.get(REEXEC_ENV) and os.path.exists(SYSTEM_PYTHON)
            and here != os.path.realpath(SYSTEM_PYTHON)):
        os.environ[REEXEC_ENV] = '1'
        print(f'gen-torch-forward: {err}; re-running with {SYSTEM_PYTHON}', file=sys.stderr)
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__), *sys.argv[1:]])
    sys.exit(f'gen-torch-forward: cannot import torch/numpy ({err}) with {sys.executable}.\n'
             'Install them (Debian: apt-get install python3-torch python3-numpy).')

import importlib.util
import io
import json
import re
import shutil
import struct
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS_DIR = os.path.join(ROOT, 'test', 'fixtures', 'models', 'torch')
OUT_DIR = os.path.join(ROOT, 'test', 'fixtures', 'forward', 'torch')
GENERATOR = 'scripts/gen-torch-forward.py'
SEED = 1234
INPUT_SEED = 4321

# model id -> (fixture file, top-level variable holding the model, input shape without batch)
# The files' own example shapes, batch 1, except where the size budget (all fixtures < 8 MB;
# mnist_cnn's weights alone are 4.8 MB: fc1 is Linear(9216, 128)) needs smaller activations:
# - resnet_block: 3x18x18 instead of 3x32x32 (2.4 MB -> 1.3 MB); 18 -> 9 -> 5 puts odd sizes
#   through the stride-2 3x3 and 1x1 downsample convolutions;
# - branches: 3x20x14 instead of 3x64x48 (2.6 MB -> 0.4 MB); 10x7 after the pool makes
#   AdaptiveAvgPool2d((2, 2)) use overlapping windows (7 columns into 2);
# - alexnet: alexnet_small.py on 3x96x96 (see the module docstring);
# - shuffle_se: 3x18x14 instead of 3x32x32; 9x7 after the stem, so a permute or transpose that
#   swapped height and width would show.
# The analyzer gets the shape from index.json ("inputShape"), so changing one here is enough.
MODELS = {
    'lenet': ('lenet.py', 'model', [1, 32, 32]),
    'mnist_cnn': ('mnist_cnn.py', 'model', [1, 28, 28]),
    'sequential_ordered': ('sequential_ordered.py', 'model', [1, 27, 27]),
    'resnet_block': ('resnet_block.py', 'net', [3, 18, 18]),
    'branches': ('branches.py', 'model', [3, 20, 14]),
    'alexnet': ('alexnet_small.py', 'model', [3, 96, 96]),
    # 3x10x8: every padding stays legal (reflect needs pad < size) and PixelUnshuffle(2) gets 10x8
    'restoration': ('restoration.py', 'model', [3, 10, 8]),
    'signal': ('restoration.py', 'signal', [2, 16]),
    'shuffle_se': ('shuffle_se.py', 'model', [3, 18, 14]),
    'indexing': ('indexing.py', 'model', [8, 12, 10]),
    'spatial_transformer': ('spatial_transformer.py', 'model', [1, 28, 28]),
}

BN_TYPES = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d, nn.InstanceNorm1d, nn.InstanceNorm2d)

torch.set_num_threads(1)


def import_fixture(fname):
    path = os.path.join(MODELS_DIR, fname)
    mod_name = 'convlens_forward_' + re.sub(r'\W', '_', os.path.splitext(fname)[0])
    spec = importlib.util.spec_from_file_location(mod_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(mod_name, None)
    return module


def randomize_batchnorm(model, gen):
    for _, m in model.named_modules():
        if isinstance(m, BN_TYPES):
            n = m.num_features
            with torch.no_grad():
                if m.affine:
                    m.weight.copy_(torch.rand(n, generator=gen) + 0.5)
                    m.bias.copy_(torch.randn(n, generator=gen) * 0.5)
                if m.track_running_stats:
                    m.running_mean.copy_(torch.randn(n, generator=gen) * 0.5)
                    m.running_var.copy_(torch.rand(n, generator=gen) * 1.5 + 0.5)
        elif isinstance(m, nn.PReLU):
            with torch.no_grad():
                m.weight.copy_(torch.rand(m.weight.numel(), generator=gen) * 0.5)


def npy_bytes(arr):
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(arr, dtype='<f4'), allow_pickle=False)
    return buf.getvalue()


def safetensors_bytes(state):
    """state: [(name, float32 numpy array)] in the order to store them."""
    header = {'__metadata__': {'format': 'pt'}}
    chunks = []
    offset = 0
    for name, arr in state:
        data = np.ascontiguousarray(arr, dtype='<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(arr.shape), 'data_offsets': [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-(8 + len(text)) % 8)  # the data starts 8-byte aligned, as safetensors pads it
    return struct.pack('<Q', len(text)) + text + b''.join(chunks)


def safe_name(name):
    return re.sub(r'[^A-Za-z0-9_.@-]', '_', name) or 'root'


def build(model_id):
    fname, var, in_shape = MODELS[model_id]
    torch.manual_seed(SEED)
    module = import_fixture(fname)
    model = getattr(module, var)
    assert isinstance(model, nn.Module), f'{fname}: {var} is not an nn.Module'
    randomize_batchnorm(model, torch.Generator().manual_seed(SEED + 1))
    model.eval()
    x = torch.randn(1, *in_shape, generator=torch.Generator().manual_seed(INPUT_SEED))

    names = {}
    for n, m in model.named_modules():
        names.setdefault(id(m), n)
    calls = {}
    records = []

    def hook(m, _inputs, output):
        assert isinstance(output, torch.Tensor), f'{names[id(m)]}: output is not a tensor'
        name = names[id(m)]
        calls[name] = calls.get(name, 0) + 1
        key = name if calls[name] == 1 else f'{name}@{calls[name]}'
        records.append((key, type(m).__name__, calls[name], output.detach().clone()))

    handles = [m.register_forward_hook(hook) for m in model.modules() if next(iter(m.children()), None) is None]
    try:
        with torch.no_grad():
            y = model(x.clone())
    finally:
        for h in handles:
            h.remove()

    files = {}
    files['input.npy'] = npy_bytes(x.numpy())
    files['output.npy'] = npy_bytes(y.numpy())
    state = [(k, v.detach().numpy()) for k, v in model.state_dict().items() if v.is_floating_point()]
    files['weights.safetensors'] = safetensors_bytes(state)
    layers = []
    width = len(str(len(records)))
    for i, (key, typ, call, t) in enumerate(records):
        f = f'layers/{i:0{width}d}_{safe_name(key)}.npy'
        files[f] = npy_bytes(t.numpy())
        layers.append({'name': key, 'type': typ, 'call': call, 'file': f, 'shape': list(t.shape)})
    index = {
        'model': model_id,
        'file': f'test/fixtures/models/torch/{fname}',
        'variable': var,
        'class': type(model).__name__,
        'generator': GENERATOR,
        'torch': torch.__version__,
        'seed': SEED,
        'inputSeed': INPUT_SEED,
        'batchNorm': 'weight U(0.5,1.5), bias N(0,0.5^2), running_mean N(0,0.5^2), running_var U(0.5,2.0)',
        'inputShape': in_shape,
        'input': {'file': 'input.npy', 'shape': list(x.shape)},
        'output': {'file': 'output.npy', 'shape': list(y.shape)},
        'weights': {'file': 'weights.safetensors', 'tensors': len(state),
                    'floats': int(sum(a.size for _, a in state))},
        'layers': layers,
    }
    files['index.json'] = (json.dumps(index, indent=1) + '\n').encode('utf-8')
    return files


def dir_contents(d):
    out = {}
    for base, _, fs in os.walk(d):
        for f in fs:
            p = os.path.join(base, f)
            out[os.path.relpath(p, d).replace(os.sep, '/')] = open(p, 'rb').read()
    return out


def main(argv):
    check = '--check' in argv
    wanted = [a for a in argv if not a.startswith('--')] or list(MODELS)
    unknown = [w for w in wanted if w not in MODELS]
    if unknown:
        sys.exit(f'gen-torch-forward: unknown model(s): {", ".join(unknown)}; known: {", ".join(MODELS)}')
    stale = []
    total = 0
    for model_id in wanted:
        files = build(model_id)
        size = sum(len(b) for b in files.values())
        total += size
        d = os.path.join(OUT_DIR, model_id)
        if check:
            if not os.path.isdir(d) or dir_contents(d) != files:
                stale.append(os.path.relpath(d, ROOT))
        else:
            if os.path.isdir(d):
                shutil.rmtree(d)
            for rel, data in files.items():
                p = os.path.join(d, rel)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, 'wb') as f:
                    f.write(data)
        n_layers = sum(1 for k in files if k.startswith('layers/'))
        print(f'{model_id:20s} {n_layers:3d} layer outputs, {size / 1e6:6.2f} MB')
    print(f'{"total":20s} {total / 1e6:23.2f} MB')
    if stale:
        print('gen-torch-forward: stale (re-run without --check): ' + ', '.join(stale), file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main(sys.argv[1:])
