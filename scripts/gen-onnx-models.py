#!/usr/bin/env python3
"""
ONNX model files and their onnxruntime activations, for test/unit/modelfile/onnx.test.ts.

Run (a Python with torch 2, torchvision, onnx, onnxruntime, onnxscript and numpy):
    python scripts/gen-onnx-models.py            # (re)write every fixture
    python scripts/gen-onnx-models.py lenet      # only the named models

For each model in MODELS it writes test/fixtures/modelfiles/onnx/:
    <model>.onnx   the model: exported by torch.onnx.export (TorchScript exporter, opset 17,
                   eval mode, fixed seeds; BatchNorm with random statistics) or built with the
                   onnx helper API (what torch never emits: auto_pad, Gemm alpha/beta/transB=0,
                   MatMul + Add, Resize with scales);
    <model>.npz    float32 arrays: 'input' (a fixed-seed standard normal input) and, under 'o<k>',
                   the onnxruntime output of every float node output (every node output is added
                   as a graph output, graph optimizations off);
    <model>.json   {inputShape, nodes: [{name, op, output, key}], initializers: {name: size},
                   weightedParams: the elements of the initializers that ops with weights read
                   (Conv, ConvTranspose, Gemm, BatchNormalization, PRelu, MatMul and the Add of a
                   bias after it)}.
"""
import json
import os
import sys
import types

import numpy as np
import onnx
import onnxruntime as ort
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

# torchvision's compiled ops may not match the installed torch; the models need none of them.
sys.modules.setdefault('torchvision._meta_registrations', types.ModuleType('torchvision._meta_registrations'))
from torchvision.models import mobilenet_v2  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'modelfiles', 'onnx')
SEED = 7
OPSET = 17


def randomize_norms(model):
    """Non-default BatchNorm parameters and statistics, random PReLU slopes."""
    g = torch.Generator().manual_seed(SEED)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.copy_(torch.rand(m.num_features, generator=g) + 0.5)
                m.bias.copy_(torch.randn(m.num_features, generator=g) * 0.5)
                m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.5)
                m.running_var.copy_(torch.rand(m.num_features, generator=g) * 1.5 + 0.5)
        if isinstance(m, nn.PReLU):
            with torch.no_grad():
                m.weight.copy_(torch.rand(m.weight.shape, generator=g) * 0.5)


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(x.size(0), -1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.down = (
            nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
            if stride != 1 or cin != cout
            else None
        )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + (self.down(x) if self.down is not None else x))


class ResNetSmall(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.pool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = Block(16, 16, 1)
        self.layer2 = Block(16, 32, 2)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.pool(self.stem(x))
        x = self.layer2(self.layer1(x))
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(x)


class NormPoolResize(nn.Module):
    """BatchNorm not after a convolution (kept by the exporter), pooling variants, pads, resizes."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.avg = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False, ceil_mode=True)
        self.conv2 = nn.Conv2d(8, 8, 3)
        self.reflect = nn.ReflectionPad2d((1, 1, 2, 0))
        self.conv3 = nn.Conv2d(8, 6, 3, groups=2)
        self.up = nn.Upsample(scale_factor=2, mode='nearest')
        self.up2 = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=False)
        self.deconv = nn.ConvTranspose2d(6, 4, 3, stride=2, padding=1, output_padding=1)
        self.maxc = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.avg2 = nn.AvgPool2d(2, stride=2, padding=1)
        self.fc = nn.Linear(4, 5)

    def forward(self, x):
        x = self.bn(F.relu(self.conv1(x)))
        x = self.avg(x)
        x = F.pad(x, (1, 2, 0, 1))
        x = self.conv2(x)
        x = self.conv3(self.reflect(x))
        x = self.up(x)
        x = F.pad(x, (1, 0, 0, 2), mode='replicate')
        x = self.up2(x)
        x = F.interpolate(x, size=(20, 18), mode='bilinear', align_corners=True)
        x = self.deconv(x)
        x = self.maxc(x)
        x = self.avg2(x)
        x = x.mean(dim=[2, 3])
        return self.fc(x)


class Branches(nn.Module):
    """Concatenated branches through several activations; arithmetic with constants."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.prelu = nn.PReLU(16)
        self.conv2 = nn.Conv2d(16, 8, 1, dilation=1)
        self.conv3 = nn.Conv2d(8, 8, 3, padding=2, dilation=2)
        self.lin = nn.Linear(8, 6)

    def forward(self, x):
        y = self.conv(x)
        a = torch.sigmoid(y)
        b = F.hardswish(y)
        c = F.leaky_relu(y, 0.2)
        d = torch.clamp(y, -1.0, 1.0)
        x = torch.cat([a, b, c, d], dim=1)
        x = self.prelu(x)
        x = self.conv2(x)
        x = torch.tanh(x) * 0.5 + 1.0
        x = F.hardsigmoid(x) - F.elu(x) / 2.0
        x = F.softplus(self.conv3(x)) * F.selu(x)
        x = F.mish(x)
        x = F.relu6(x - 0.25)
        x = x.permute(0, 2, 3, 1)
        x = self.lin(x)
        return torch.softmax(x, dim=-1)


def torch_model(build, shape, dynamic_batch=False):
    def make(path):
        torch.manual_seed(SEED)
        model = build()
        randomize_norms(model)
        model.eval()
        x = torch.zeros(1, *shape)
        kwargs = dict(input_names=['input'], output_names=['output'], opset_version=OPSET, dynamo=False)
        if dynamic_batch:
            kwargs['dynamic_axes'] = {'input': {0: 'batch'}, 'output': {0: 'batch'}}
        torch.onnx.export(model, (x,), path, **kwargs)
        return shape

    return make


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def helper_model(path):
    """auto_pad SAME_UPPER/SAME_LOWER/VALID, asymmetric pads, Gemm alpha/beta/transB=0, MatMul + Add."""
    rng = np.random.default_rng(SEED)
    f = lambda *s: (rng.standard_normal(s) * 0.3).astype(np.float32)  # noqa: E731
    inits = [
        const('w1', f(8, 3, 3, 3)),
        const('b1', f(8)),
        const('w2', f(8, 8, 4, 4)),
        const('w3', f(6, 8, 2, 3)),
        const('b3', f(6)),
        const('scales', np.array([1, 1, 2, 2], dtype=np.float32)),
        const('axes0', np.array([1], dtype=np.int64)),
        const('axes23', np.array([2, 3], dtype=np.int64)),
        const('gemm_b', f(6, 7)),
        const('gemm_c', f(7)),
        const('mm_b', f(7, 5)),
        const('mm_bias', f(5)),
        const('half', np.array(0.5, dtype=np.float32)),
    ]
    n = helper.make_node
    nodes = [
        n('Conv', ['input', 'w1', 'b1'], ['c1'], name='conv_same_upper', kernel_shape=[3, 3], strides=[2, 2],
          auto_pad='SAME_UPPER'),
        n('Relu', ['c1'], ['r1'], name='relu1'),
        n('Conv', ['r1', 'w2'], ['c2'], name='conv same/lower', auto_pad='SAME_LOWER'),
        n('MaxPool', ['c2'], ['p1'], name='pool_same', kernel_shape=[3, 3], strides=[2, 2], auto_pad='SAME_UPPER'),
        n('Conv', ['p1', 'w3', 'b3'], ['c3'], name='conv_pads', pads=[0, 1, 1, 0], strides=[1, 2]),
        n('Resize', ['c3', '', 'scales'], ['u1'], name='resize', mode='nearest',
          coordinate_transformation_mode='asymmetric', nearest_mode='floor'),
        n('AveragePool', ['u1'], ['p2'], name='avg_valid', kernel_shape=[2, 2], strides=[2, 2], auto_pad='VALID'),
        n('Mul', ['p2', 'half'], ['m1'], name=''),
        n('GlobalMaxPool', ['m1'], ['g1'], name='gmp'),
        n('Squeeze', ['g1', 'axes23'], ['s1'], name='squeeze'),
        n('Gemm', ['s1', 'gemm_b', 'gemm_c'], ['fc1'], name='gemm', alpha=0.5, beta=2.0, transB=0),
        n('Unsqueeze', ['fc1', 'axes0'], ['uq'], name='unsq'),
        n('MatMul', ['uq', 'mm_b'], ['mm'], name='matmul'),
        n('Add', ['mm', 'mm_bias'], ['mmb'], name='matmul_bias'),
        n('ReduceMean', ['mmb'], ['rm'], name='', axes=[1], keepdims=0),
        n('Softmax', ['rm'], ['output'], name='softmax', axis=1),
    ]
    graph = helper.make_graph(
        nodes,
        'auto_pad_graph',
        [helper.make_tensor_value_info('input', TensorProto.FLOAT, ['N', 3, 15, 15])],
        [helper.make_tensor_value_info('output', TensorProto.FLOAT, ['N', 5])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', OPSET)], producer_name='onnx-helper')
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return [3, 15, 15]


def misc_model(path):
    """Opset 20 ops and forms torch does not export here: Gelu (and its erf form), dilated pooling, 1-D convolution."""
    rng = np.random.default_rng(SEED)
    f = lambda *s: (rng.standard_normal(s) * 0.3).astype(np.float32)  # noqa: E731
    inits = [
        const('w1', f(4, 4, 3, 3)),
        const('one', np.array(1.0, dtype=np.float32)),
        const('two', np.array(2.0, dtype=np.float32)),
        const('sqrt2', np.array(np.sqrt(2.0), dtype=np.float32)),
        const('per_channel', (rng.uniform(0.5, 2.0, (4, 1, 1))).astype(np.float32)),
        const('axis3', np.array([3], dtype=np.int64)),
        const('axes03', np.array([0, 3], dtype=np.int64)),
        const('w1d', f(3, 4, 2)),
        const('b1d', f(3)),
    ]
    n = helper.make_node
    nodes = [
        n('Conv', ['input', 'w1'], ['c1'], name='dil_conv', dilations=[2, 2], pads=[1, 2, 2, 1]),
        n('MaxPool', ['c1'], ['p1'], name='dil_pool', kernel_shape=[2, 2], dilations=[2, 2]),
        n('Gelu', ['p1'], ['g1'], name='gelu'),
        n('Softsign', ['g1'], ['s1'], name='softsign'),
        # nn.GELU as exported before opset 20, its constants placed after the Div as torch does
        n('Div', ['s1', 'sqrt2'], ['e0'], name='gelu_erf'),
        n('Erf', ['e0'], ['e1']),
        n('Constant', [], ['c_one'], value=numpy_helper.from_array(np.array(1.0, dtype=np.float32))),
        n('Add', ['e1', 'c_one'], ['e2']),
        n('Mul', ['s1', 'e2'], ['e3']),
        n('Constant', [], ['c_half'], value=numpy_helper.from_array(np.array(0.5, dtype=np.float32))),
        n('Mul', ['e3', 'c_half'], ['s1g']),
        n('Sub', ['one', 's1g'], ['s2'], name='one_minus'),
        n('Div', ['s2', 'per_channel'], ['d1'], name='div_channels'),
        n('Pow', ['d1', 'two'], ['pw'], name='square'),
        n('Dropout', ['pw'], ['dr'], name='dropout'),
        n('Identity', ['dr'], ['id'], name='identity'),
        n('ReduceMax', ['id', 'axis3'], ['rm'], name='reduce_max', keepdims=1),
        n('Flatten', ['rm'], ['fl'], name='flatten2', axis=2),
        n('Unsqueeze', ['fl', 'axes03'], ['uq'], name='unsqueeze2'),
        n('Squeeze', ['uq', 'axis3'], ['sq'], name='squeeze1'),
        n('Conv', ['sq', 'w1d', 'b1d'], ['c1d'], name='conv1d', pads=[1, 0]),
        n('LogSoftmax', ['c1d'], ['output'], name='log_softmax', axis=1),
    ]
    graph = helper.make_graph(
        nodes,
        'misc_graph',
        [helper.make_tensor_value_info('input', TensorProto.FLOAT, [1, 4, 9, 9])],
        [helper.make_tensor_value_info('output', TensorProto.FLOAT, [1, 3, 6])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 20)], producer_name='onnx-helper')
    model.ir_version = 9
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return [4, 9, 9]


def partial_model(path):
    """An op ConvLens does not read (LRN) between supported ones: the model is shown up to it."""
    rng = np.random.default_rng(SEED)
    inits = [
        const('w1', (rng.standard_normal((4, 3, 3, 3)) * 0.3).astype(np.float32)),
        const('w2', (rng.standard_normal((4, 4, 3, 3)) * 0.3).astype(np.float32)),
    ]
    n = helper.make_node
    nodes = [
        n('Conv', ['input', 'w1'], ['c1'], name='conv1'),
        n('Relu', ['c1'], ['r1'], name='relu1'),
        n('LRN', ['r1'], ['l1'], name='lrn', size=3),
        n('Conv', ['l1', 'w2'], ['output'], name='conv2'),
    ]
    graph = helper.make_graph(
        nodes,
        'partial_graph',
        [helper.make_tensor_value_info('input', TensorProto.FLOAT, [1, 3, 10, 10])],
        [helper.make_tensor_value_info('output', TensorProto.FLOAT, [1, 4, 6, 6])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', OPSET)], producer_name='onnx-helper')
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return [3, 10, 10]


MODELS = {
    'lenet': torch_model(LeNet, [3, 32, 32], dynamic_batch=True),
    'mobilenet_v2': torch_model(lambda: mobilenet_v2(num_classes=10), [3, 32, 32]),
    'resnet_small': torch_model(ResNetSmall, [3, 32, 32]),
    'norm_pool_resize': torch_model(NormPoolResize, [3, 16, 16]),
    'branches': torch_model(Branches, [3, 12, 12]),
    'auto_pad': helper_model,
    'misc_ops': misc_model,
    'partial_lrn': partial_model,
}

WEIGHTED = {'Conv', 'ConvTranspose', 'Gemm', 'BatchNormalization', 'PRelu', 'MatMul'}


def weighted_params(model):
    inits = {t.name: int(np.prod(t.dims)) for t in model.graph.initializer}
    producer = {o: nd for nd in model.graph.node for o in nd.output}
    total = 0
    for nd in model.graph.node:
        if nd.op_type in WEIGHTED:
            total += sum(inits.get(i, 0) for i in nd.input[1:])
        if nd.op_type == 'Add':
            src = [producer.get(i) for i in nd.input]
            if any(s is not None and s.op_type == 'MatMul' and s.input[1] in inits for s in src):
                total += sum(inits.get(i, 0) for i in nd.input)
    return inits, total


def reference(name, path, shape):
    model = onnx.load(path)
    inferred = onnx.shape_inference.infer_shapes(model)
    infos = {v.name: v for v in list(inferred.graph.value_info) + list(inferred.graph.output)}
    outputs = {o.name for o in model.graph.output}
    for nd in model.graph.node:
        for o in nd.output:
            if o and o not in outputs:
                model.graph.output.append(infos.get(o) or onnx.ValueInfoProto(name=o))
                outputs.add(o)
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    so.log_severity_level = 3
    x = np.random.default_rng(SEED).standard_normal((1, *shape)).astype(np.float32)
    arrays = {'input': x}
    nodes = []
    partial = None
    try:
        sess = ort.InferenceSession(model.SerializeToString(), so)
        names = [o.name for o in sess.get_outputs()]
        values = dict(zip(names, sess.run(names, {model.graph.input[0].name: x})))
    except Exception as e:  # noqa: BLE001 - an op onnxruntime lacks: the partial model
        partial = str(e)[:200]
        values = {}
    for k, nd in enumerate(model.graph.node):
        v = values.get(nd.output[0])
        entry = {'name': nd.name, 'op': nd.op_type, 'output': nd.output[0], 'key': None}
        if isinstance(v, np.ndarray) and v.dtype == np.float32:
            entry['key'] = f'o{k}'
            arrays[entry['key']] = v
        nodes.append(entry)
    np.savez(os.path.join(OUT, f'{name}.npz'), **arrays)
    inits, total = weighted_params(onnx.load(path))
    meta = {'inputShape': shape, 'nodes': nodes, 'initializers': inits, 'weightedParams': total}
    if partial:
        meta['onnxruntimeError'] = partial
    with open(os.path.join(OUT, f'{name}.json'), 'w') as fh:
        json.dump(meta, fh, indent=1)
        fh.write('\n')


def main():
    os.makedirs(OUT, exist_ok=True)
    names = sys.argv[1:] or list(MODELS)
    for name in names:
        path = os.path.join(OUT, f'{name}.onnx')
        shape = MODELS[name](path)
        reference(name, path, shape)
        print(f'{name}: {os.path.getsize(path):,} bytes')


if __name__ == '__main__':
    main()
