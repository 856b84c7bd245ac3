#!/usr/bin/env python3
"""
PyTorch oracle for the realistic model sources in test/fixtures/models/torch/.

Run:
    /usr/bin/python3 scripts/gen-torch-models.py            # (re)write every *.oracle.json
    /usr/bin/python3 scripts/gen-torch-models.py lenet.py   # only some fixtures
    /usr/bin/python3 scripts/gen-torch-models.py --check    # exit 1 if an oracle is stale

Needs PyTorch. On the dev container it lives in Debian's interpreter (/usr/bin/python3 with
python3-torch 1.13); the `python3` first on PATH may be another interpreter without torch, so when
`import torch` fails this script re-executes itself with /usr/bin/python3 (once), and otherwise
exits with a message saying what to install.

For every <file>.py in test/fixtures/models/torch/ it:
  1. imports the file as a module (importlib) named '__main__' as a script run would be, executing
     its top-level statements one at a time so that an exception is attributed to a statement and a
     line, with a global forward pre-hook that notices every call `model(tensor)` made by the file's
     own code outside any nn.Module method (top-level code, or a function like `def test():`): that
     (model, tensor) pair is the model and its example input; a top-level container whose first
     layer is called that way (`for layer in net: X = layer(X)`) gets that layer's input;
  2. takes as models the nn.Module instances called that way, plus any other top-level nn.Module
     that is not a submodule of another one; a model without a top-level call gets its input from
     a comment line `# convlens: input_shape=(C, H, W)` -> torch.randn(1, C, H, W);
  3. puts the model in eval mode, registers forward hooks on every LEAF module (no children), runs
     one forward pass under torch.no_grad(), and records each leaf call in execution order (a
     module called several times is recorded at each call);
  4. writes <file>.oracle.json next to it:
        { "file": "lenet.py", "generator": "scripts/gen-torch-models.py", "torch": "1.13.0a0",
          "paramsRule": "...",
          "models": [ { "name", "variable", "class", "framework": "pytorch", "inputShape",
                        "inputSource", "totalParams", "trainableParams", "nonTrainableParams",
                        "buffers", "layers": [ { "name", "type", "inputShape", "outputShape",
                        "params", "buffers" } ] } ] }
     Shapes leave out the batch dimension. "name" of a layer is the one named_modules() gives
     (e.g. "features.0", "layer1.0.conv1"); "name" of a model is its class name, or, for a plain
     container (nn.Sequential, ...), the variable it is bound to.

Fixtures listed in EXPECTED_FAILURES are meant to be wrong: the generator still runs them through
torch, checks that torch fails with the expected exception, and writes
    { "file", "generator", "torch", "paramsRule", "expectedToFail": true,
      "error": "<torch's message>", "errorType", "errorLine", "errorSource", "models": [...] }
where "models" holds what could be built (with the layers that ran before the failure and a
"failedAt" record of the leaf module that raised, with its input shape). Any other failure, or a
published parameter total that does not match (PUBLISHED_TOTALS), makes the script exit 1.

Deterministic: torch.manual_seed(0) before each file, one CPU thread, JSON with a fixed key order;
re-running produces byte-identical files for the same torch.
"""
import os
import sys

REEXEC_ENV = 'CONVLENS_TORCH_MODELS_REEXEC'
SYSTEM_PYTHON = '/usr/bin/python3'

try:
    import torch
    import torch.nn as nn
except ImportError as err:  # pragma: no cover - environment dependent
    here = os.path.realpath(sys.executable or '')
    if (not os.environ.get(REEXEC_ENV) and os.path.exists(SYSTEM_PYTHON)
            and here != os.path.realpath(SYSTEM_PYTHON)):
        os.environ[REEXEC_ENV] = '1'
        print(f'gen-torch-models: {err}; re-running with {SYSTEM_PYTHON}', file=sys.stderr)
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__), *sys.argv[1:]])
    sys.exit(
        f'gen-torch-models: cannot import torch ({err}) with {sys.executable}.\n'
        'Install it (Debian: apt-get install python3-torch; or pip install torch)\n'
        f'and run: /usr/bin/python3 {os.path.relpath(os.path.abspath(__file__))}'
    )

import ast
import importlib.util
import json
import re
import traceback
import warnings
from torch.nn.modules import module as nn_module_mod

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS_DIR = os.path.join(ROOT, 'test', 'fixtures', 'models', 'torch')
GENERATOR = 'scripts/gen-torch-models.py'

PARAMS_RULE = (
    "params = numel of the module's own parameters (weights, biases), as model.parameters() and "
    "torchinfo count them; buffers = numel of its own floating-point buffers (BatchNorm/InstanceNorm "
    "running_mean and running_var), which are not parameters; integer buffers (num_batches_tracked) "
    "count in neither. totalParams = sum(p.numel() for p in model.parameters()) (shared tensors "
    "once), buffers the same over model.buffers(). trainableParams = numel of the parameters with "
    "requires_grad; nonTrainableParams = totalParams - trainableParams. A layer's params are "
    "repeated at every call of the layer, so the sum over 'layers' can differ from totalParams when "
    "a module is called more than once (or never)."
)

# Fixtures that are deliberately wrong: expected exception type and a substring of its message.
# "expected to fail in torch".
EXPECTED_FAILURES = {
    'strided_same_error.py': ('ValueError', "padding='same' is not supported for strided convolutions"),
    'linear_mismatch.py': ('RuntimeError', 'shapes cannot be multiplied'),
    'reflect_pad_error.py': ('RuntimeError', 'Padding size should be less than the corresponding input dimension'),
}

# Published parameter counts (torchvision docs / LeNet-5 with 6/16/120/84/10) -> checked.
PUBLISHED_TOTALS = {
    ('alexnet.py', 'AlexNet'): 61_100_840,
    ('vgg16.py', 'VGG'): 138_357_544,
    ('lenet.py', 'LeNet'): 61_706,
}

INPUT_SHAPE_RE = re.compile(r'#\s*convlens:\s*input_shape\s*=\s*[\(\[]([^\)\]]*)[\)\]]')
CONTAINER_TYPES = (nn.Sequential, nn.ModuleList, nn.ModuleDict)

torch.set_num_threads(1)


# ---------------------------------------------------------------------------------------------
# helpers

def shape_wo_batch(t):
    """Shape without the batch dimension; tuples/lists of tensors -> list of shapes."""
    if isinstance(t, torch.Tensor):
        return list(t.shape[1:])
    if isinstance(t, (tuple, list)):
        return [shape_wo_batch(x) for x in t]
    return None


def first_tensor(args):
    for a in args:
        if isinstance(a, torch.Tensor):
            return a
    return None


def own_params(m):
    return sum(p.numel() for p in m.parameters(recurse=False))


def own_buffers(m):
    return sum(b.numel() for b in m.buffers(recurse=False) if b.is_floating_point())


def model_counts(m):
    total = sum(p.numel() for p in m.parameters())  # parameters() dedups shared tensors
    trainable = sum(p.numel() for p in m.parameters() if p.requires_grad)
    buffers = sum(b.numel() for b in m.buffers() if b.is_floating_point())
    return total, trainable, buffers


def is_leaf(m):
    return next(iter(m.children()), None) is None


def short_error(exc):
    return str(exc).strip()


def fixture_frame_line(tb, path):
    """Innermost traceback line that is in the fixture file: (line, source)."""
    best = None
    for fs in traceback.extract_tb(tb):
        if os.path.realpath(fs.filename) == os.path.realpath(path):
            best = (fs.lineno, (fs.line or '').strip())
    return best


def input_shape_comment(source):
    m = INPUT_SHAPE_RE.search(source)
    if not m:
        return None
    dims = [int(d) for d in m.group(1).replace(' ', '').split(',') if d]
    return dims


# ---------------------------------------------------------------------------------------------
# loading a fixture

class TopLevelCalls:
    """Global forward pre-hook recording (module, input) for calls made by the fixture's own code
    outside any module: top-level statements and plain functions such as `def test(): net(x)`
    (not a forward() or other method of an nn.Module in the fixture, not nn.Sequential's forward)."""

    def __init__(self, path):
        self.path = os.path.realpath(path)
        self.calls = []  # [(module, cloned input tensor)]
        self.handle = None
        self.torch_module_file = os.path.realpath(nn_module_mod.__file__)

    def __enter__(self):
        self.handle = nn_module_mod.register_module_forward_pre_hook(self.hook)
        return self

    def __exit__(self, *exc):
        self.handle.remove()
        return False

    def inside_module(self, f):
        """True when the call is made, at any depth, by a method of an nn.Module (a comprehension
        inside forward() has a frame of its own)."""
        while f is not None:
            if isinstance(f.f_locals.get('self'), nn.Module):
                return True
            f = f.f_back
        return False

    def hook(self, module, inputs):
        f = sys._getframe(1)
        # skip the nn.Module call machinery (_call_impl) to find who called module(...)
        while f is not None and os.path.realpath(f.f_code.co_filename) == self.torch_module_file:
            f = f.f_back
        if f is None:
            return None
        if os.path.realpath(f.f_code.co_filename) == self.path and not self.inside_module(f):
            t = first_tensor(inputs)
            if t is not None and not any(m is module for m, _ in self.calls):
                self.calls.append((module, t.detach().clone()))
        return None


def load_fixture(path):
    """Execute the fixture statement by statement. Returns (namespace, top-level calls, error)
    where error is None or a dict describing the first exception."""
    source = open(path, encoding='utf-8').read()
    tree = ast.parse(source, filename=path)
    mod_name = 'convlens_fixture_' + re.sub(r'\W', '_', os.path.splitext(os.path.basename(path))[0])
    spec = importlib.util.spec_from_file_location(mod_name, path)
    module = importlib.util.module_from_spec(spec)
    # run as a script (as ConvLens reads it), so `if __name__ == '__main__':` blocks count
    module.__dict__['__name__'] = '__main__'
    sys.modules[mod_name] = module
    error = None
    caught_warnings = []
    # run with no command-line arguments, so argparse gives its defaults
    saved_argv = sys.argv
    sys.argv = [path]
    try:
        with TopLevelCalls(path) as calls, warnings.catch_warnings(record=True) as wlist:
            warnings.simplefilter('always')
            for stmt in tree.body:
                code = compile(ast.Module(body=[stmt], type_ignores=[]), path, 'exec')
                try:
                    exec(code, module.__dict__)
                except Exception as exc:  # noqa: BLE001 - we record whatever torch raises
                    loc = fixture_frame_line(exc.__traceback__, path) or (stmt.lineno, '')
                    error = {
                        'error': short_error(exc),
                        'errorType': type(exc).__name__,
                        'errorLine': loc[0],
                        'errorSource': loc[1],
                        'statementLine': stmt.lineno,
                    }
                    break
            caught_warnings = [str(w.message) for w in wlist]
    finally:
        sys.argv = saved_argv
        sys.modules.pop(mod_name, None)
    return module.__dict__, calls.calls, error, source, caught_warnings


def find_models(ns, calls, source):
    """[(model, variable name, input tensor, input source)] in a stable order."""
    top_modules = []
    for k, v in ns.items():
        if k.startswith('__') or not isinstance(v, nn.Module):
            continue
        if not any(v is m for m, _ in top_modules):
            top_modules.append((v, k))
    names = {}
    for m, k in top_modules:
        names.setdefault(id(m), k)

    def submodule_of_other(m):
        for other, _ in top_modules:
            if other is not m and any(sub is m for sub in other.modules()):
                return True
        return False

    # a top-level container's layers called one by one (`for layer in net: X = layer(X)`): the
    # first layer's input is the container's input
    parent_calls = []
    for m, inp in calls:
        for p, _ in top_modules:
            if p is not m and next(iter(p.children()), None) is m and not any(c is p for c, _ in calls):
                parent_calls.append((p, inp))
    calls = parent_calls + [(m, inp) for m, inp in calls
                            if not any(p is not m and any(s is m for s in p.modules()) for p, _ in top_modules)]
    out = []
    seen = set()
    for m, inp in calls:  # models called by top-level code, in call order
        if id(m) in seen:
            continue
        seen.add(id(m))
        out.append((m, names.get(id(m)), inp, 'call'))
    comment = input_shape_comment(source)
    for m, k in top_modules:  # the other top-level models: input from the comment
        if id(m) in seen or submodule_of_other(m):
            continue
        seen.add(id(m))
        inp = torch.randn(1, *comment) if comment else None
        out.append((m, k, inp, 'comment' if comment else None))
    return out


# ---------------------------------------------------------------------------------------------
# tracing one model

def trace(model, inp):
    """Forward pass with hooks on every leaf. Returns (layers, failure) where failure is None or
    {"exc": exception, "failedAt": {...}}."""
    names = {}
    for n, m in model.named_modules():
        names.setdefault(id(m), n)
    layers = []
    stack = []  # leaves entered whose forward hook has not fired yet
    handles = []

    def pre_hook(m, inputs):
        t = first_tensor(inputs)
        stack.append((m, shape_wo_batch(t) if t is not None else None))

    def post_hook(m, inputs, output):
        _, in_shape = stack.pop()
        layers.append({
            'name': names[id(m)],
            'type': type(m).__name__,
            'inputShape': in_shape,
            'outputShape': shape_wo_batch(output),
            'params': own_params(m),
            'buffers': own_buffers(m),
        })

    for m in model.modules():
        if is_leaf(m):
            handles.append(m.register_forward_pre_hook(pre_hook))
            handles.append(m.register_forward_hook(post_hook))
    failure = None
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(inp)
    except Exception as exc:  # noqa: BLE001
        failed_at = None
        if stack:
            m, in_shape = stack[-1]
            failed_at = {
                'name': names[id(m)],
                'type': type(m).__name__,
                'inputShape': in_shape,
                'params': own_params(m),
                'buffers': own_buffers(m),
            }
            if isinstance(m, nn.Linear):
                failed_at['inFeatures'] = m.in_features
                failed_at['outFeatures'] = m.out_features
        failure = {'exc': exc, 'failedAt': failed_at}
    finally:
        for h in handles:
            h.remove()
        model.train(was_training)
    return layers, failure


def describe_model(model, var, inp, inp_source):
    cls = type(model).__name__
    name = var if isinstance(model, CONTAINER_TYPES) and var else cls
    total, trainable, buffers = model_counts(model)
    d = {
        'name': name,
        'variable': var,
        'class': cls,
        'framework': 'pytorch',
        'inputShape': shape_wo_batch(inp) if inp is not None else None,
        'inputSource': inp_source,
        'batchSize': int(inp.shape[0]) if inp is not None else None,
        'totalParams': total,
        'trainableParams': trainable,
        'nonTrainableParams': total - trainable,
        'buffers': buffers,
    }
    return d


# ---------------------------------------------------------------------------------------------
# one fixture

class FixtureError(Exception):
    pass


def build_oracle(fname):
    path = os.path.join(MODELS_DIR, fname)
    torch.manual_seed(0)
    ns, calls, load_error, source, load_warnings = load_fixture(path)
    expected = EXPECTED_FAILURES.get(fname)
    doc = {
        'file': fname,
        'generator': GENERATOR,
        'torch': torch.__version__,
        'paramsRule': PARAMS_RULE,
    }
    if expected:
        doc['expectedToFail'] = True
    models_out = []
    trace_error = None
    for model, var, inp, inp_source in find_models(ns, calls, source):
        d = describe_model(model, var, inp, inp_source)
        if inp is None:
            raise FixtureError(f'{fname}: model {d["name"]} has no example input '
                               '(no top-level call and no "# convlens: input_shape=" comment)')
        torch.manual_seed(0)
        with warnings.catch_warnings(record=True) as wlist:
            warnings.simplefilter('always')
            layers, failure = trace(model, inp)
        trace_warnings = [str(w.message) for w in wlist]
        for w in trace_warnings:
            if w not in load_warnings:
                load_warnings.append(w)
        d['layerCount'] = len(layers)
        d['layers'] = layers
        if failure:
            exc = failure['exc']
            d['failedAt'] = failure['failedAt']
            if trace_error is None:
                loc = fixture_frame_line(exc.__traceback__, path)
                trace_error = {
                    'error': short_error(exc),
                    'errorType': type(exc).__name__,
                    'errorLine': loc[0] if loc else None,
                    'errorSource': loc[1] if loc else None,
                }
                fa = failure['failedAt']
                if fa and fa['type'] == 'Linear' and isinstance(fa['inputShape'], list) and fa['inputShape']:
                    # the real flattened size reaching the Linear vs. the in_features written in the code
                    trace_error['failedModule'] = fa['name']
                    trace_error['actualInFeatures'] = fa['inputShape'][-1]
                    trace_error['declaredInFeatures'] = fa['inFeatures']
        models_out.append(d)
    error = load_error or trace_error
    if load_error and trace_error and trace_error['error'] == load_error['error']:
        # the top-level forward call failed the same way as the traced one: keep its numbers
        for k in ('failedModule', 'actualInFeatures', 'declaredInFeatures'):
            if k in trace_error:
                load_error[k] = trace_error[k]
    if expected:
        if error is None:
            raise FixtureError(f'{fname}: expected to fail in torch, but it ran')
        etype, needle = expected
        if error['errorType'] != etype or needle not in error['error']:
            raise FixtureError(f'{fname}: expected {etype} containing {needle!r}, got '
                               f'{error["errorType"]}: {error["error"]}')
        doc.update(error)
    elif error is not None:
        raise FixtureError(f'{fname}: torch raised {error["errorType"]} at line '
                           f'{error.get("errorLine")}: {error["error"]}')
    if load_warnings:
        doc['warnings'] = load_warnings
    doc['models'] = models_out
    if not expected and not models_out:
        raise FixtureError(f'{fname}: no nn.Module instance found at top level')
    for d in models_out:
        want = PUBLISHED_TOTALS.get((fname, d['name']))
        if want is not None and d['totalParams'] != want:
            raise FixtureError(f'{fname}: {d["name"]} has {d["totalParams"]:,} parameters, '
                               f'published {want:,}')
    return doc


# ---------------------------------------------------------------------------------------------
# output: 2-space indented JSON with each layer on one line

def dumps(doc):
    placeholders = {}

    def compact(obj):
        key = f'@@LAYER{len(placeholders)}@@'
        placeholders[key] = json.dumps(obj, ensure_ascii=False, separators=(', ', ': '))
        return key

    def walk(o):
        if isinstance(o, dict):
            r = {}
            for k, v in o.items():
                if k in ('layers',) and isinstance(v, list):
                    r[k] = [compact(x) for x in v]
                elif k in ('inputShape', 'outputShape', 'failedAt'):
                    r[k] = compact(v)
                else:
                    r[k] = walk(v)
            return r
        if isinstance(o, list):
            return [walk(x) for x in o]
        return o

    text = json.dumps(walk(doc), ensure_ascii=False, indent=2)
    for key, val in placeholders.items():
        text = text.replace(json.dumps(key), val)
    return text + '\n'


def main(argv):
    check = '--check' in argv
    wanted = [a for a in argv if not a.startswith('--')]
    files = sorted(f for f in os.listdir(MODELS_DIR) if f.endswith('.py'))
    if wanted:
        unknown = [w for w in wanted if w not in files]
        if unknown:
            sys.exit(f'gen-torch-models: no such fixture: {", ".join(unknown)}')
        files = [f for f in files if f in wanted]
    failed = False
    stale = []
    for fname in files:
        try:
            doc = build_oracle(fname)
        except FixtureError as err:
            print(f'gen-torch-models: FAIL {err}', file=sys.stderr)
            failed = True
            continue
        out = os.path.join(MODELS_DIR, os.path.splitext(fname)[0] + '.oracle.json')
        text = dumps(doc)
        if check:
            old = open(out, encoding='utf-8').read() if os.path.exists(out) else None
            if old != text:
                stale.append(os.path.relpath(out, ROOT))
        else:
            with open(out, 'w', encoding='utf-8') as f:
                f.write(text)
        if doc.get('expectedToFail'):
            summary = f'expected failure: {doc["errorType"]}: {doc["error"]}'
        else:
            summary = '; '.join(f'{d["name"]}: {d["totalParams"]:,} params, {d["layerCount"]} layers'
                                for d in doc['models'])
        print(f'{fname:24s} {summary}')
    if stale:
        print('gen-torch-models: stale (re-run without --check): ' + ', '.join(stale), file=sys.stderr)
    if failed or stale:
        sys.exit(1)


if __name__ == '__main__':
    main(sys.argv[1:])
