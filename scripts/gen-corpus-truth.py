#!/usr/bin/env python3
"""
Truth for the model-zoo corpus (test/fixtures/corpus/truth.json): real library models built by
the real frameworks, with random weights, for test/unit/corpus (the analyzer read on the
unmodified library sources that scripts/setup-corpus.sh unpacks).

Run in a virtual environment with the frameworks (the versions of scripts/setup-corpus.sh):
    python3 -m venv /tmp/corpus-venv
    /tmp/corpus-venv/bin/pip install torch torchvision==0.28.0 timm==1.0.29 keras==3.15.1 tensorflow-cpu numpy
    /tmp/corpus-venv/bin/python scripts/gen-corpus-truth.py            # (re)write truth.json
    /tmp/corpus-venv/bin/python scripts/gen-corpus-truth.py --check    # exit 1 if it is stale

For every model it records:
  - "usage": the lines a user would write to build it and feed it an input (PyTorch models in
    eval mode, as measured: in training mode torchvision's inception_v3 and googlenet also run
    their auxiliary heads, and inception_v3's BatchNorm on a 1×1 map refuses a batch of 1);
  - "entry": the library file that defines the builder (relative to site-packages), the builder's
    name there and the arguments of the call, so a harness can append `model = builder(args)`
    to that file and read it on its own;
  - "inputShape" (without the batch dimension, in the framework's layout): torchvision 224, or
    299 for inception_v3; timm the size of the model's pretrained configuration; Keras models
    built without an input_shape keep their own default (299 for Xception, 240 for
    EfficientNetB1, …; MobileNetV3 leaves height and width None: null);
  - totals. PyTorch: the sum of the parameters' numel ("totalParams"), of the trainable ones, and
    separately of the floating-point buffers (BatchNorm running statistics; num_batches_tracked
    is an integer buffer and is left out). Keras: count_params(), trainable and non-trainable as
    model.summary() prints them;
  - "layers", each [name, type, outputShape, params(, buffers)]. PyTorch: the leaf modules (no children) in
    named_modules() order; a module called n times appears n times (its calls in order), one
    never called (auxiliary heads in eval mode) once with outputShape null; the output shape
    comes from a forward hook during one forward pass in eval mode under no_grad with batch 1;
    params are the numel of the module's own parameters (recurse=False), buffers that of its own
    floating-point buffers. Keras: model.layers with the layer's name, class name, output shape
    and count_params() (which already counts the non-trainable moving statistics).
Shapes leave out the batch dimension.

Deterministic: torch.manual_seed(0), one thread, keras.backend.clear_session() before each Keras
model (auto names restart), a fixed model order and key order, one line per layer.
"""
import inspect
import json
import os
import sys

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
os.environ.setdefault('KERAS_BACKEND', 'tensorflow')

import torch  # noqa: E402

# The torchvision wheel on the package index is a CUDA build while torch may be the CPU one: its
# native detection ops (nms, roi_align) then fail to load, and torchvision's import-time fake
# registrations for them raise. Classification models never use those ops, so a registration
# that fails is skipped instead of aborting the import.
_register_fake = torch.library.register_fake


def _lenient_register_fake(op, *args, **kwargs):
    decorate = _register_fake(op, *args, **kwargs)

    def apply(fn):
        try:
            return decorate(fn)
        except RuntimeError:
            return fn

    return apply


torch.library.register_fake = _lenient_register_fake

import keras  # noqa: E402
import numpy  # noqa: E402
import tensorflow  # noqa: E402
import timm  # noqa: E402
import torchvision  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'corpus', 'truth.json')

TORCHVISION = [
    'alexnet', 'vgg11', 'vgg11_bn', 'vgg16', 'vgg16_bn', 'vgg19', 'vgg19_bn', 'resnet18', 'resnet34',
    'resnet50', 'resnext50_32x4d', 'wide_resnet50_2', 'densenet121', 'squeezenet1_0', 'squeezenet1_1',
    'googlenet', 'inception_v3', 'mobilenet_v2', 'mobilenet_v3_small', 'mobilenet_v3_large', 'mnasnet0_5',
    'shufflenet_v2_x1_0', 'efficientnet_b0', 'regnet_y_400mf', 'regnet_x_400mf', 'convnext_tiny',
    # the rest of torchvision's convolutional classification builders
    'vgg13', 'vgg13_bn', 'resnet101', 'resnet152', 'resnext101_32x8d', 'resnext101_64x4d', 'wide_resnet101_2',
    'densenet161', 'densenet169', 'densenet201', 'mnasnet0_75', 'mnasnet1_0', 'mnasnet1_3',
    'shufflenet_v2_x0_5', 'shufflenet_v2_x1_5', 'shufflenet_v2_x2_0', 'efficientnet_b1', 'efficientnet_b2',
    'efficientnet_b3', 'efficientnet_b4', 'efficientnet_b5', 'efficientnet_b6', 'efficientnet_b7',
    'efficientnet_v2_s', 'efficientnet_v2_m', 'efficientnet_v2_l', 'regnet_y_800mf', 'regnet_y_1_6gf',
    'regnet_y_3_2gf', 'regnet_y_8gf', 'regnet_y_16gf', 'regnet_y_32gf', 'regnet_x_800mf', 'regnet_x_1_6gf',
    'regnet_x_3_2gf', 'regnet_x_8gf', 'regnet_x_16gf', 'regnet_x_32gf', 'convnext_small', 'convnext_base',
    'convnext_large',
]
KERAS = [
    'VGG16', 'VGG19', 'ResNet50', 'ResNet50V2', 'MobileNet', 'MobileNetV2', 'MobileNetV3Small',
    'DenseNet121', 'EfficientNetB0', 'Xception', 'InceptionV3',
    'ResNet101', 'ResNet152', 'ResNet101V2', 'ResNet152V2', 'MobileNetV3Large', 'DenseNet169', 'DenseNet201',
    'EfficientNetB1', 'EfficientNetB3', 'EfficientNetV2B0', 'EfficientNetV2S', 'NASNetMobile',
    'InceptionResNetV2', 'ConvNeXtTiny',
]
TIMM = [
    'resnet18', 'resnet50', 'resnext50_32x4d', 'mobilenetv3_large_100', 'mobilenetv3_small_100',
    'efficientnet_b0', 'mnasnet_100', 'regnety_002', 'regnetx_002', 'ghostnet_100', 'densenet121', 'vgg16',
    'dla34', 'cspresnet50', 'rexnet_100', 'mixnet_s', 'inception_v3', 'xception41',
    'resnet34d', 'seresnet50', 'tf_efficientnet_b0', 'mobilenetv2_100', 'efficientnetv2_rw_t', 'lcnet_050',
    'res2net50_26w_4s', 'resnest14d', 'dpn68', 'cspdarknet53', 'darknet53', 'convnext_atto', 'repvgg_a2',
    'selecsls42b', 'hrnet_w18_small', 'ese_vovnet19b_dw', 'skresnet18', 'resnetv2_50', 'gernet_s',
    'fbnetc_100', 'spnasnet_100', 'tinynet_a', 'regnety_016', 'nf_resnet50',
]
PYTORCH_299 = {'inception_v3'}


def site_relative(path):
    path = os.path.realpath(path)
    marker = os.sep + 'site-packages' + os.sep
    return path[path.rindex(marker) + len(marker):].replace(os.sep, '/')


def shape_of(out):
    """The output's shape without the batch dimension (the first tensor of a tuple/list)."""
    if isinstance(out, (tuple, list)):
        for o in out:
            s = shape_of(o)
            if s is not None:
                return s
        return None
    if hasattr(out, 'shape'):
        return [None if d is None else int(d) for d in tuple(out.shape)[1:]]
    return None


def torch_truth(model, size):
    torch.manual_seed(0)
    model.eval()
    leaves = [(n, m) for n, m in model.named_modules() if n and not list(m.children())]
    calls = {id(m): [] for _, m in leaves}
    hooks = [m.register_forward_hook(lambda mod, inp, out: calls[id(mod)].append(shape_of(out))) for _, m in leaves]
    with torch.no_grad():
        model(torch.randn(1, 3, size, size))
    for h in hooks:
        h.remove()
    layers = []
    for name, m in leaves:
        own = sum(p.numel() for p in m.parameters(recurse=False))
        buffers = sum(b.numel() for b in m.buffers(recurse=False) if b.is_floating_point())
        for shape in calls[id(m)] or [None]:
            layers.append([name, type(m).__name__, shape, own, buffers])
    params = list(model.parameters())
    return {
        'class': type(model).__name__,
        'totalParams': sum(p.numel() for p in params),
        'trainableParams': sum(p.numel() for p in params if p.requires_grad),
        'bufferElements': sum(b.numel() for b in model.buffers() if b.is_floating_point()),
        'layers': layers,
    }


def torchvision_model(name):
    builder = getattr(torchvision.models, name)
    size = 299 if name in PYTORCH_299 else 224
    model = builder(weights=None)
    fn = inspect.unwrap(builder)
    return {
        'id': f'torchvision/{name}',
        'framework': 'pytorch',
        'library': 'torchvision',
        'usage': f'import torch\nimport torchvision\nmodel = torchvision.models.{name}()\nmodel.eval()\n'
        f'x = torch.randn(1, 3, {size}, {size})\ny = model(x)',
        'entry': {'file': site_relative(inspect.getsourcefile(fn)), 'builder': fn.__name__, 'args': ''},
        'inputShape': [3, size, size],
        **torch_truth(model, size),
    }


def timm_model(name):
    model = timm.create_model(name, pretrained=False)
    size = model.pretrained_cfg.get('input_size', (3, 224, 224))[-1]
    fn = inspect.unwrap(timm.models.model_entrypoint(name))
    return {
        'id': f'timm/{name}',
        'framework': 'pytorch',
        'library': 'timm',
        'usage': f"import timm\nimport torch\nmodel = timm.create_model('{name}')\nmodel.eval()\n"
        f'x = torch.randn(1, 3, {size}, {size})\ny = model(x)',
        'entry': {'file': site_relative(inspect.getsourcefile(fn)), 'builder': fn.__name__, 'args': ''},
        'inputShape': [3, size, size],
        **torch_truth(model, size),
    }


def keras_model(name):
    keras.backend.clear_session()
    builder = getattr(keras.applications, name)
    model = builder(weights=None)
    # the builder's own default input (MobileNetV3 leaves height and width open: None)
    input_shape = [None if d is None else int(d) for d in model.input_shape[1:]]
    assert input_shape[-1] == 3, name
    fn = inspect.unwrap(builder)
    trainable = sum(int(numpy.prod(w.shape)) for w in model.trainable_weights)
    non_trainable = sum(int(numpy.prod(w.shape)) for w in model.non_trainable_weights)
    layers = []
    for layer in model.layers:
        out = layer.output
        layers.append([layer.name, type(layer).__name__, shape_of(out), layer.count_params()])
    return {
        'id': f'keras/{name}',
        'framework': 'keras',
        'library': 'keras',
        'usage': f'import keras\nmodel = keras.applications.{name}(weights=None)',
        'entry': {'file': site_relative(inspect.getsourcefile(fn)), 'builder': fn.__name__, 'args': 'weights=None'},
        'inputShape': input_shape,
        'class': type(model).__name__,
        'modelName': model.name,
        'totalParams': model.count_params(),
        'trainableParams': trainable,
        'nonTrainableParams': non_trainable,
        'layers': layers,
    }


def dump(doc):
    """JSON with one line per layer (and per short field): compact, and diffs stay readable."""
    lines = ['{']
    for key, value in doc.items():
        if key != 'models':
            lines.append(f'  {json.dumps(key)}: {json.dumps(value)},')
    lines.append('  "models": [')
    for i, m in enumerate(doc['models']):
        lines.append('    {')
        for key, value in m.items():
            if key == 'layers':
                continue
            lines.append(f'      {json.dumps(key)}: {json.dumps(value)},')
        lines.append('      "layers": [')
        rows = [f'        {json.dumps(layer, separators=(",", ":"))}' for layer in m['layers']]
        lines.append(',\n'.join(rows))
        lines.append('      ]')
        lines.append('    }' + (',' if i < len(doc['models']) - 1 else ''))
    lines.append('  ]')
    lines.append('}')
    return '\n'.join(lines) + '\n'


def main():
    torch.set_num_threads(1)
    models = []
    for name in TORCHVISION:
        models.append(torchvision_model(name))
        print(f'  {models[-1]["id"]}: {len(models[-1]["layers"])} layers', file=sys.stderr)
    for name in KERAS:
        models.append(keras_model(name))
        print(f'  {models[-1]["id"]}: {len(models[-1]["layers"])} layers', file=sys.stderr)
    for name in TIMM:
        models.append(timm_model(name))
        print(f'  {models[-1]["id"]}: {len(models[-1]["layers"])} layers', file=sys.stderr)
    doc = {
        'generator': 'scripts/gen-corpus-truth.py',
        'versions': {
            'torch': torch.__version__.split('+')[0],
            'torchvision': torchvision.__version__.split('+')[0],
            'timm': timm.__version__,
            'keras': keras.__version__,
            'tensorflow': tensorflow.__version__,
        },
        'layerFields': ['name', 'type', 'outputShape', 'params', 'buffers (PyTorch only)'],
        'models': models,
    }
    text = dump(doc)
    json.loads(text)
    if '--check' in sys.argv:
        with open(OUT, encoding='utf-8') as f:
            same = f.read() == text
        print('truth.json is up to date' if same else 'truth.json is stale', file=sys.stderr)
        sys.exit(0 if same else 1)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write(text)
    print(f'wrote {os.path.relpath(OUT)}: {len(models)} models', file=sys.stderr)


if __name__ == '__main__':
    main()
