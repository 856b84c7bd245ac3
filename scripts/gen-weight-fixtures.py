#!/usr/bin/env python3
"""Writes the weight-file fixtures of test/unit/io/weights.test.ts into test/fixtures/weights/.

Run with the system Python (needs h5py, numpy, torch):  /usr/bin/python3 scripts/gen-weight-fixtures.py

Keras and TensorFlow are not installed, so the Keras files are written with h5py in exactly the
layout Keras writes:
  - Keras 3 H5IOStore (keras/src/saving/saving_lib.py): root 'vars', then per saved object
    '<path>/vars/<i>' where <path> is 'layers/' + snake_case(class name) (+ '_1', '_2' on repeats),
    nested models 'layers/<model>/layers/<layer>', optimizer 'optimizer/vars'; bfloat16 variables
    as opaque 2-byte datasets with attrs['dtype'] = 'bfloat16'. The .keras zip holds
    metadata.json, config.json and model.weights.h5, stored (ZIP_STORED) like Keras writes it.
  - tf.keras 2 legacy h5 (save_weights_to_hdf5_group): attrs layer_names / weight_names as numpy
    byte-string arrays, backend and keras_version, layer groups created in name-sorted order,
    datasets at '<layer>/<weight name>'; model.save() adds root model_config and a
    'model_weights' group plus 'optimizer_weights'.
safetensors is written by hand (8-byte little-endian header length, JSON header padded with
spaces to 8 bytes, raw little-endian data ordered by dtype size then name, as the Rust writer does).

Output is deterministic except torch_legacy.pth (pickled storage keys) and
keras3_libver_latest.weights.h5 (HDF5 1.10 object headers carry timestamps).

expected.json lists, per valid fixture, every tensor's name, layer, param, shape, dtype and a few
values (flat index -> value, from numpy/torch, non-finite values as strings), and names the
malformed fixtures. The tests compare our readers against it.
"""
import io
import json
import os
import struct
import zipfile

import h5py
import numpy as np
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'weights')
ZIP_DATE = (2024, 1, 1, 0, 0, 0)
expected = {'files': {}, 'malformed': {}}


def pick_values(flat):
    n = len(flat)
    idx = sorted({0, 1, n // 2, n - 1}) if n else []
    out = []
    for i in idx:
        if i >= n:
            continue
        v = float(flat[i])
        out.append([i, v if np.isfinite(v) else ('NaN' if np.isnan(v) else ('Infinity' if v > 0 else '-Infinity'))])
    return out


def entry(name, layer, param, shape, dtype, values_f32, non_float=False):
    return {'name': name, 'layer': layer, 'param': param, 'shape': list(shape), 'dtype': dtype,
            'nonFloat': non_float, 'values': pick_values(np.asarray(values_f32, dtype=np.float32).reshape(-1))}


def write(name, data):
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(data)


# ---------------------------------------------------------------- safetensors (PyTorch)

ST_DTYPES = {torch.float64: 'F64', torch.float32: 'F32', torch.float16: 'F16', torch.bfloat16: 'BF16',
             torch.int64: 'I64', torch.int32: 'I32', torch.int16: 'I16', torch.int8: 'I8',
             torch.uint8: 'U8', torch.bool: 'BOOL'}


def tensor_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().astype('<i2').tobytes()
    a = t.numpy()
    return a.astype(a.dtype.newbyteorder('<')).tobytes()


def safetensors_bytes(tensors, metadata=None):
    items = sorted(tensors.items(), key=lambda kv: (-kv[1].element_size(), kv[0]))
    header, blobs, offset = {}, [], 0
    if metadata:
        header['__metadata__'] = metadata
    for name, t in items:
        b = tensor_bytes(t)
        header[name] = {'dtype': ST_DTYPES[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    return struct.pack('<Q', len(h)) + h + b''.join(blobs), items


def raw_safetensors(header, data):
    h = json.dumps(header).encode()
    return struct.pack('<Q', len(h)) + h + data


class SmallNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU())
        self.classifier = nn.Linear(4 * 6 * 6, 5)


def gen_safetensors():
    torch.manual_seed(0)
    net = SmallNet()
    with torch.no_grad():
        bn = net.features[1]
        bn.running_mean.uniform_(-1, 1)
        bn.running_var.uniform_(0.5, 2)
        bn.weight.uniform_(0.5, 1.5)
        bn.bias.uniform_(-0.5, 0.5)
        bn.num_batches_tracked.fill_(7)
    tensors = dict(net.state_dict())
    half = torch.tensor([1.0, -2.5, 65504.0, 6e-8, float('inf'), float('-inf'), float('nan'), 0.333], dtype=torch.float16)
    tensors['extra.half'] = half.reshape(2, 4)
    tensors['extra.bf16'] = torch.linspace(-3, 3, 6).to(torch.bfloat16)
    tensors['extra.f64'] = torch.tensor([0.1, 1e300, -1e-300, 3.0], dtype=torch.float64)
    tensors['extra.i32'] = torch.tensor([-2**31, 0, 2**31 - 1], dtype=torch.int32)
    tensors['extra.i16'] = torch.tensor([-32768, 12, 32767], dtype=torch.int16)
    tensors['extra.i8'] = torch.tensor([-128, 0, 127], dtype=torch.int8)
    tensors['extra.u8'] = torch.tensor([0, 200, 255], dtype=torch.uint8)
    tensors['extra.bool'] = torch.tensor([True, False, True])
    tensors['extra.scalar'] = torch.tensor(2.5)
    tensors['extra.empty'] = torch.zeros(0, 3)
    tensors['extra.big_i64'] = torch.tensor([2**40 + 1, -5], dtype=torch.int64)
    data, items = safetensors_bytes(tensors, {'format': 'pt', 'source': 'gen-weight-fixtures'})
    write('torch_small.safetensors', data)
    exp = []
    for name, t in items:
        layer, _, param = name.rpartition('.')
        exp.append(entry(name, layer, param, t.shape, ST_DTYPES[t.dtype], t.to(torch.float32).numpy(),
                         non_float=not t.is_floating_point()))
    expected['files']['torch_small.safetensors'] = {'format': 'safetensors', 'metadata': {'format': 'pt', 'source': 'gen-weight-fixtures'}, 'tensors': exp}

    # malformed
    write('st_truncated.safetensors', data[:-10])
    write('st_truncated_header.safetensors', data[:40])
    write('st_huge_header.safetensors', struct.pack('<Q', 2**40) + data[8:])
    f4 = np.arange(6, dtype='<f4').tobytes()
    write('st_overlap.safetensors', raw_safetensors({'a': {'dtype': 'F32', 'shape': [4], 'data_offsets': [0, 16]},
                                                     'b': {'dtype': 'F32', 'shape': [2], 'data_offsets': [8, 16]}}, f4[:16]))
    write('st_shape_mismatch.safetensors', raw_safetensors({'a': {'dtype': 'F32', 'shape': [3], 'data_offsets': [0, 16]}}, f4[:16]))
    write('st_gap.safetensors', raw_safetensors({'a': {'dtype': 'F32', 'shape': [2], 'data_offsets': [0, 8]},
                                                 'b': {'dtype': 'F32', 'shape': [2], 'data_offsets': [16, 24]}}, f4))
    write('st_bad_dtype.safetensors', raw_safetensors({'a': {'dtype': 'F8_E4M3', 'shape': [4], 'data_offsets': [0, 4]}}, f4[:4]))
    write('st_bad_json.safetensors', struct.pack('<Q', 12) + b'{"a": [1, 2' + b' ')
    write('st_too_many_elements.safetensors', raw_safetensors({'a': {'dtype': 'U8', 'shape': [100000, 100000], 'data_offsets': [0, 10**10]}}, b''))
    for n in ['st_truncated', 'st_truncated_header', 'st_huge_header', 'st_overlap', 'st_shape_mismatch', 'st_gap', 'st_bad_dtype', 'st_bad_json', 'st_too_many_elements']:
        expected['malformed'][n + '.safetensors'] = 'safetensors'

    # PyTorch pickles
    buf = io.BytesIO()
    torch.save(net.state_dict(), buf)
    write('torch_model.pt', buf.getvalue())
    buf = io.BytesIO()
    torch.save(net.state_dict(), buf, _use_new_zipfile_serialization=False)
    write('torch_legacy.pth', buf.getvalue())
    expected['malformed']['torch_model.pt'] = 'pickle'
    expected['malformed']['torch_legacy.pth'] = 'pickle'


# ---------------------------------------------------------------- Keras model weights

rng = np.random.default_rng(1234)


def randn(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def bn_values(c):
    return [rng.uniform(0.5, 1.5, c).astype(np.float32), rng.uniform(-0.5, 0.5, c).astype(np.float32),
            rng.uniform(-1, 1, c).astype(np.float32), rng.uniform(0.5, 2, c).astype(np.float32)]


# Sequential: Conv2D(4, 3) -> BatchNormalization -> Conv2D(4, 3, use_bias=False) -> Flatten -> Dense(5), input 8x8x3
FLAT = [
    ('Conv2D', 'conv2d', [randn(3, 3, 3, 4), randn(4)], {'use_bias': True}),
    ('BatchNormalization', 'batch_normalization', bn_values(4), {'center': True, 'scale': True}),
    ('Conv2D', 'conv2d_1', [randn(3, 3, 4, 4)], {'use_bias': False}),
    ('Flatten', 'flatten', [], {}),
    ('Dense', 'dense', [randn(64, 5), randn(5)], {'use_bias': True}),
]
KERAS3_NAMES = {'Conv2D': ['kernel', 'bias'], 'BatchNormalization': ['gamma', 'beta', 'moving_mean', 'moving_variance'], 'Dense': ['kernel', 'bias']}
# the .keras config gives the layers their own names; the weights paths stay class-derived
CUSTOM_NAMES = {'conv2d': 'conv1', 'batch_normalization': 'bn1', 'conv2d_1': 'conv2', 'flatten': 'flatten', 'dense': 'logits'}


def layer_config(cls, name, flags):
    cfg = {'name': name, 'trainable': True, 'dtype': 'float32'}
    cfg.update(flags)
    return {'module': 'keras.layers', 'class_name': cls, 'config': cfg, 'registered_name': None}


def sequential_config(name, layers, input_shape=None):
    items = []
    if input_shape:
        items.append({'module': 'keras.layers', 'class_name': 'InputLayer',
                      'config': {'batch_shape': [None] + input_shape, 'dtype': 'float32', 'sparse': False, 'name': 'input_layer'}, 'registered_name': None})
    items += layers
    return {'module': 'keras', 'class_name': 'Sequential', 'config': {'name': name, 'trainable': True, 'layers': items}, 'registered_name': None}


def keras3_h5(layers, optimizer=False, nested=None, chunk_first=False, bf16_path=None):
    """layers: [(path, [values])]; writes like H5IOStore (create order = save order)."""
    buf = io.BytesIO()
    with h5py.File(buf, 'w') as h:
        h.create_group('vars')
        for path, values in layers:
            g = h.create_group(path).create_group('vars')
            for i, v in enumerate(values):
                if bf16_path == (path, i):
                    bits = (np.asarray(v, dtype=np.float32).view(np.uint32) >> 16).astype('<u2')
                    ds = g.create_dataset(str(i), data=bits.view('V2'))
                    ds.attrs['dtype'] = 'bfloat16'
                elif chunk_first and i == 0 and v.ndim > 1:
                    g.create_dataset(str(i), data=v, chunks=True, compression='gzip', shuffle=True)
                else:
                    g[str(i)] = v
        if optimizer:
            g = h.create_group('optimizer').create_group('vars')
            g['0'] = np.array(10, dtype=np.int64)
            g['1'] = np.float32(0.001)
    return buf.getvalue()


def bf16_round(v):
    bits = (np.asarray(v, dtype=np.float32).view(np.uint32) >> 16) << 16
    return bits.astype(np.uint32).view(np.float32)


def zip_bytes(files, compression=zipfile.ZIP_STORED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', compression=compression) as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = compression
            z.writestr(info, data)
    return buf.getvalue()


def patch_declared_size(data, name, size):
    """Sets an entry's uncompressed size in its local header (offset 22) and central directory record (24)."""
    z = bytearray(data)
    for sig, size_at, name_at in [(b'PK\x03\x04', 22, 30), (b'PK\x01\x02', 24, 46)]:
        at = z.find(sig)
        while at >= 0:
            if z[at + name_at: at + name_at + len(name)] == name.encode():
                z[at + size_at: at + size_at + 4] = struct.pack('<I', size)
            at = z.find(sig, at + 4)
    return bytes(z)


def gen_keras3():
    layers = [('layers/' + path, vals) for _, path, vals, _ in FLAT]
    plain = keras3_h5(layers)
    write('keras3_small.weights.h5', plain)
    exp = []
    for cls, path, vals, _ in FLAT:
        for i, v in enumerate(vals):
            exp.append(entry(f'layers/{path}/vars/{i}', path, str(i), v.shape, '<f4', v))
    expected['files']['keras3_small.weights.h5'] = {'format': 'keras3-h5', 'tensors': exp}

    # .keras: same weights (+ optimizer state, skipped by the reader) and a config naming the layers
    cfg = sequential_config('sequential', [layer_config(cls, CUSTOM_NAMES[path], flags) for cls, path, _, flags in FLAT], [8, 8, 3])
    meta = {'keras_version': '3.6.0', 'date_saved': '2024-01-01@00:00:00'}
    h5 = keras3_h5(layers, optimizer=True)
    files = [('metadata.json', json.dumps(meta)), ('config.json', json.dumps(cfg)), ('model.weights.h5', h5)]
    keras_zip = zip_bytes(files)
    write('keras3_small.keras', keras_zip)
    write('keras3_small_deflated.keras', zip_bytes(files, zipfile.ZIP_DEFLATED))
    exp = []
    for cls, path, vals, flags in FLAT:
        names = [n for n in KERAS3_NAMES.get(cls, []) if n != 'bias' or flags.get('use_bias', True)]
        for i, v in enumerate(vals):
            exp.append(entry(f'layers/{path}/vars/{i}', CUSTOM_NAMES[path], names[i], v.shape, '<f4', v))
    for n in ['keras3_small.keras', 'keras3_small_deflated.keras']:
        expected['files'][n] = {'format': 'keras-zip', 'metadata': meta, 'tensors': exp}

    # nested: Sequential([Sequential([Conv2D, BatchNormalization], name='block'), Flatten, Dense]);
    # the conv kernel chunked + gzip, the dense kernel stored as bfloat16
    conv = [randn(3, 3, 3, 4), randn(4)]
    bn = bn_values(4)
    dense = [randn(144, 5), randn(5)]
    nested_layers = [('layers/sequential', []), ('layers/sequential/layers/conv2d', conv), ('layers/sequential/layers/batch_normalization', bn),
                     ('layers/flatten', []), ('layers/dense', dense)]
    h5 = keras3_h5(nested_layers, chunk_first=True, bf16_path=('layers/dense', 0))
    write('keras3_nested.weights.h5', h5)
    inner = sequential_config('block', [layer_config('Conv2D', 'c1', {'use_bias': True}), layer_config('BatchNormalization', 'n1', {})])
    cfg = sequential_config('outer', [inner, layer_config('Flatten', 'flatten', {}), layer_config('Dense', 'head', {'use_bias': True})], [8, 8, 3])
    write('keras3_nested.keras', zip_bytes([('metadata.json', json.dumps(meta)), ('config.json', json.dumps(cfg)), ('model.weights.h5', h5)]))
    for fname, named in [('keras3_nested.weights.h5', False), ('keras3_nested.keras', True)]:
        exp = []
        for path, vals, layer_name, cls in [('layers/sequential/layers/conv2d', conv, 'c1' if named else 'sequential/conv2d', 'Conv2D'),
                                            ('layers/sequential/layers/batch_normalization', bn, 'n1' if named else 'sequential/batch_normalization', 'BatchNormalization'),
                                            ('layers/dense', dense, 'head' if named else 'dense', 'Dense')]:
            for i, v in enumerate(vals):
                is_bf16 = path == 'layers/dense' and i == 0
                exp.append(entry(f'{path}/vars/{i}', layer_name, KERAS3_NAMES[cls][i] if named else str(i), v.shape,
                                 'bfloat16' if is_bf16 else '<f4', bf16_round(v) if is_bf16 else v))
        expected['files'][fname] = {'format': 'keras-zip' if named else 'keras3-h5', 'tensors': exp}
        if named:
            expected['files'][fname]['metadata'] = meta

    # malformed
    write('keras3_truncated.weights.h5', plain[: len(plain) // 2])
    write('keras_truncated.keras', keras_zip[: int(len(keras_zip) * 0.7)])
    # declared uncompressed size of model.weights.h5 patched to 3.75 GB in both headers
    write('keras_bomb_declared.keras', patch_declared_size(zip_bytes(files, zipfile.ZIP_DEFLATED), 'model.weights.h5', 0xF0000000))
    # an entry that inflates (50 MB of zeros) far past the 1 KB its directory declares
    bomb = zip_bytes([('config.json', '{}'), ('model.weights.h5', bytes(50 * 1024 * 1024))], zipfile.ZIP_DEFLATED)
    write('keras_bomb_inflate.keras', patch_declared_size(bomb, 'model.weights.h5', 1024))
    write('keras_no_weights.keras', zip_bytes([('config.json', json.dumps(cfg)), ('metadata.json', json.dumps(meta))]))
    for n in ['keras3_truncated.weights.h5', 'keras_truncated.keras', 'keras_bomb_declared.keras', 'keras_bomb_inflate.keras', 'keras_no_weights.keras']:
        expected['malformed'][n] = 'keras'


# ---------------------------------------------------------------- tf.keras 2 legacy h5

def save_weights_to_group(g, layers, compress=False):
    """layers: [(layer_name, [(weight_name, value)])] in model order, as tf.keras 2 writes them."""
    # plain lists, as Keras passes them: h5py stores bytes as fixed-length strings, [] as float64 (0,)
    g.attrs['layer_names'] = [n.encode('utf8') for n, _ in layers]
    g.attrs['backend'] = b'tensorflow'
    g.attrs['keras_version'] = b'2.15.0'
    for name, weights in sorted(layers, key=lambda x: x[0]):
        lg = g.create_group(name)
        lg.attrs['weight_names'] = [w.encode('utf8') for w, _ in weights]
        for i, (w, v) in enumerate(weights):
            if compress and v.ndim > 1:
                lg.create_dataset(w, data=v, chunks=tuple(max(1, d // 2) for d in v.shape), compression='gzip', shuffle=True, fletcher32=(i == 0))
            else:
                lg.create_dataset(w, data=v)


def btree_bomb(h5, fan_out):
    """The root group's B-tree replaced by a level-2 node listing one level-1 node `fan_out` times,
    which lists the original leaf `fan_out` times: fan_out^2 node reads for a reader without a
    visited set, from a file only 32 x fan_out bytes larger."""
    b = bytearray(h5)
    root = struct.unpack_from('<Q', b, 64)[0]  # superblock v0: root symbol table entry's object header address
    _, _, _, _, size = struct.unpack_from('<BBHII', b, root)
    blocks, found = [(root + 16, size)], None
    while blocks:  # v1 object header messages, following continuation messages (type 0x10)
        at, size = blocks.pop(0)
        end = at + size
        while at < end:
            mtype, msize = struct.unpack_from('<HH', b, at)
            if mtype == 0x11:
                found = at + 8  # symbol table message: B-tree address, local heap address
            if mtype == 0x10:
                blocks.append(struct.unpack_from('<QQ', b, at + 8))
            at += 8 + msize
    leaf = struct.unpack_from('<Q', b, found)[0]

    def node(level, children):
        out = b'TREE' + struct.pack('<BBHQQ', 0, level, len(children), 2**64 - 1, 2**64 - 1)
        return out + b''.join(struct.pack('<QQ', 0, c) for c in children) + struct.pack('<Q', 0)

    level1 = node(1, [leaf] * fan_out)
    level2 = node(2, [len(b)] * fan_out)
    struct.pack_into('<Q', b, found, len(b) + len(level1))
    return bytes(b + level1 + level2)


LEGACY_NAMES = {'Conv2D': ['kernel', 'bias'], 'BatchNormalization': ['gamma', 'beta', 'moving_mean', 'moving_variance'], 'Dense': ['kernel', 'bias']}


def gen_legacy():
    layers = []
    exp = []
    for cls, path, vals, _ in FLAT:
        ws = [(f'{path}/{LEGACY_NAMES[cls][i]}:0', v) for i, v in enumerate(vals)]
        layers.append((path, ws))
        exp += [entry(w, path, w.split('/')[-1].split(':')[0], v.shape, '<f4', v) for w, v in ws]
    buf = io.BytesIO()
    with h5py.File(buf, 'w') as f:
        save_weights_to_group(f, layers)
    plain = buf.getvalue()
    write('legacy_weights.h5', plain)
    expected['files']['legacy_weights.h5'] = {'format': 'keras-legacy-h5', 'metadata': {'backend': 'tensorflow', 'keras_version': '2.15.0'}, 'tensors': exp}

    # model.save('x.h5') of Sequential([Sequential([Conv2D, BN], name='block'), Conv2D(no bias), Flatten, Dense]),
    # kernels chunked with gzip + shuffle (the first of each layer with fletcher32)
    conv, bn = [randn(3, 3, 3, 4), randn(4)], bn_values(4)
    block = [(f'conv2d/{n}:0', v) for n, v in zip(['kernel', 'bias'], conv)] + \
            [(f'batch_normalization/{n}:0', v) for n, v in zip(LEGACY_NAMES['BatchNormalization'], bn)]
    conv2 = [('conv2d_1/kernel:0', randn(3, 3, 4, 4))]
    dense = [('dense/kernel:0', randn(64, 5)), ('dense/bias:0', randn(5))]
    full_layers = [('block', block), ('conv2d_1', conv2), ('flatten', []), ('dense', dense)]
    buf = io.BytesIO()
    with h5py.File(buf, 'w') as f:
        f.attrs['keras_version'] = '2.15.0'
        f.attrs['backend'] = 'tensorflow'
        f.attrs['model_config'] = json.dumps({'class_name': 'Sequential', 'config': {'name': 'sequential', 'layers': []}}).encode('utf8')
        save_weights_to_group(f.create_group('model_weights'), full_layers, compress=True)
        og = f.create_group('optimizer_weights')
        og.attrs['weight_names'] = np.array([b'Adam/iter:0'])
        og.create_dataset('Adam/iter:0', data=np.int64(3))
    full = buf.getvalue()
    write('legacy_full.h5', full)
    exp = []
    for lname, ws in full_layers:
        for w, v in ws:
            layer = w.rsplit('/', 1)[0] if lname == 'block' else lname
            exp.append(entry(w, layer, w.split('/')[-1].split(':')[0], v.shape, '<f4', v))
    expected['files']['legacy_full.h5'] = {'format': 'keras-legacy-h5', 'metadata': {'backend': 'tensorflow', 'keras_version': '2.15.0'}, 'tensors': exp}

    # malformed
    write('legacy_truncated.h5', full[: len(full) * 2 // 3])
    buf = io.BytesIO()
    with h5py.File(buf, 'w') as f:
        f.attrs['layer_names'] = np.array([b'conv2d', b'missing'])
        g = f.create_group('conv2d')
        g.attrs['weight_names'] = np.array([b'conv2d/kernel:0'])
        g['conv2d/kernel:0'] = randn(2, 2)
    write('legacy_missing_group.h5', buf.getvalue())
    buf = io.BytesIO()
    with h5py.File(buf, 'w') as f:
        f.attrs['layer_names'] = np.array([b'dense'])
        g = f.create_group('dense')
        g.attrs['weight_names'] = np.array([b'dense/kernel:0'])
        g.create_dataset('dense/kernel:0', data=randn(8, 8), compression='lzf')
    write('legacy_lzf.h5', buf.getvalue())
    buf = io.BytesIO()
    with h5py.File(buf, 'w') as f:
        f['x'] = randn(3)
    write('not_keras.h5', buf.getvalue())
    buf = io.BytesIO()
    with h5py.File(buf, 'w', libver='latest') as f:
        f.create_group('layers/dense/vars').create_dataset('0', data=randn(8, 8), chunks=(4, 4), track_times=False)
    write('keras3_libver_latest.weights.h5', buf.getvalue())
    buf = io.BytesIO()
    with h5py.File(buf, 'w') as f:
        f.create_group('layers/dense/vars')['0'] = np.array([b'abc', b'de'])
    write('keras3_string_var.weights.h5', buf.getvalue())
    write('hdf5_btree_bomb.h5', btree_bomb(plain, 4000))
    for n in ['legacy_truncated.h5', 'legacy_missing_group.h5', 'legacy_lzf.h5', 'not_keras.h5', 'keras3_libver_latest.weights.h5', 'keras3_string_var.weights.h5', 'hdf5_btree_bomb.h5']:
        expected['malformed'][n] = 'hdf5'


def main():
    os.makedirs(OUT, exist_ok=True)
    gen_safetensors()
    gen_keras3()
    gen_legacy()
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write('\n')
    print(f'wrote {len(expected["files"])} valid and {len(expected["malformed"])} malformed fixtures to {os.path.normpath(OUT)}')


if __name__ == '__main__':
    main()
