#!/usr/bin/env python3
"""
Numeric oracle for Keras element-wise merges (Subtract, Multiply, Average, Maximum, Minimum, with
broadcasting) and keras.ops arithmetic, for test/unit/runtime/keras-arith.test.ts.

Run (Keras 3 with the TensorFlow backend):
    python3 -m venv /tmp/kvenv && /tmp/kvenv/bin/pip install keras tensorflow-cpu numpy
    /tmp/kvenv/bin/python scripts/gen-keras-arith.py           # (re)write the fixture
    /tmp/kvenv/bin/python scripts/gen-keras-arith.py --check   # exit 1 if the fixture is stale

Each case is a small functional model written as users write it (its source is stored in the
fixture and is what the test analyzes). keras.utils.set_random_seed(SEED) and a cleared session
come before it runs, so layer names (conv2d, conv2d_1, …) and initial weights are fixed; the
input is numpy's standard normal from default_rng(SEED + 1), shape (1, *inputShape). Every layer's
output (model.layers, InputLayer excepted) and the model's output are recorded.

Output: test/fixtures/keras-arith/cases.json:
    {"keras", "backend", "seed", "cases": [{"id", "source", "inputShape" (without batch),
     "input": T, "weights": {"<layer>.<weight>": T}, "layers": [{"name", "type", "out": T}],
     "output": T}]}
    where T = {"shape": [...], "data": base64 of float32 little-endian values, row-major}.

Deterministic: fixed seeds, one thread, fixed JSON formatting; re-running with the same Keras
and TensorFlow writes a byte-identical file.
"""
import os
import sys

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
os.environ.setdefault('KERAS_BACKEND', 'tensorflow')
os.environ.setdefault('TF_ENABLE_ONEDNN_OPTS', '0')

import base64
import json

import numpy as np
import keras
import tensorflow as tf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'keras-arith', 'cases.json')
SEED = 18

HEAD = ('import keras\nfrom keras import layers\n\n'
        'inputs = keras.Input(shape=(6, 5, 3))\n'
        "a = layers.Conv2D(4, 3, padding='same')(inputs)\n"
        "b = layers.Conv2D(4, 3, padding='same')(inputs)\n")
TAIL = 'model = keras.Model(inputs, y)\n'


def src(body):
    return HEAD + body.strip('\n') + '\n' + TAIL


POOLED = 'p = layers.GlobalAveragePooling2D(keepdims=True)(b)\n'

CASES = [
    ('subtract', src('y = layers.Subtract()([a, b])')),
    ('subtract_broadcast', src(POOLED + 'y = layers.Subtract()([a, p])')),
    ('multiply_broadcast', src(POOLED + 'y = layers.Multiply()([a, p])')),
    ('average_three', src("c = layers.Conv2D(4, 1)(inputs)\ny = layers.Average()([a, b, c])")),
    ('maximum_minimum', src(POOLED + 'm = layers.Maximum()([a, b, p])\ny = layers.Minimum()([m, b])')),
    ('functions', src('y = layers.subtract([layers.multiply([a, b]), layers.average([a, b])])')),
    ('ops_binary', src(
        'y = keras.ops.subtract(a, b)\n'
        'y = keras.ops.multiply(y, keras.ops.divide(a, keras.ops.sigmoid(b)))\n'
        'y = keras.ops.add(keras.ops.maximum(y, a), keras.ops.minimum(y, b))')),
    ('ops_numbers', src(
        'y = keras.ops.add(keras.ops.multiply(a, 0.5), 2.0)\n'
        'y = keras.ops.subtract(y, keras.ops.power(b, 2))\n'
        'y = keras.ops.negative(y)')),
    ('ops_broadcast', src(POOLED + 'y = keras.ops.multiply(a, keras.ops.sigmoid(p)) - p')),
    ('operators', src('y = (a - b) * 0.5 + 1\ny = 1 - y * b')),
]


def encode(a):
    a = np.ascontiguousarray(np.asarray(a, dtype='<f4'))
    return {'shape': list(a.shape), 'data': base64.b64encode(a.tobytes()).decode('ascii')}


def run_case(cid, source):
    keras.backend.clear_session()
    keras.utils.set_random_seed(SEED)
    scope = {'__name__': f'case_{cid}'}
    exec(compile(source, f'{cid}.py', 'exec'), scope)
    model = scope['model']
    shape = [int(d) for d in model.inputs[0].shape[1:]]
    x = np.random.default_rng(SEED + 1).standard_normal((1, *shape)).astype('float32')
    named = [l for l in model.layers if not isinstance(l, keras.layers.InputLayer)]
    probe = keras.Model(model.inputs, [l.output for l in named] + [model.output])
    outs = probe([x], training=False)
    weights = {}
    for l in named:
        for w in l.weights:
            weights[f'{l.name}.{w.path.split("/")[-1]}'] = encode(w.numpy())
    return {
        'id': cid,
        'source': source,
        'inputShape': shape,
        'input': encode(x),
        'weights': weights,
        'layers': [{'name': l.name, 'type': type(l).__name__, 'out': encode(o)} for l, o in zip(named, outs[:-1])],
        'output': encode(outs[-1]),
    }


def build():
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    cases = [run_case(*c) for c in CASES]
    doc = {'keras': keras.__version__, 'backend': keras.backend.backend(), 'seed': SEED, 'cases': cases}
    return json.dumps(doc, indent=1) + '\n'


def main(argv):
    text = build()
    if '--check' in argv:
        old = open(OUT, encoding='utf8').read() if os.path.exists(OUT) else None
        if old != text:
            print('gen-keras-arith: stale (re-run without --check): ' + os.path.relpath(OUT, ROOT), file=sys.stderr)
            sys.exit(1)
        print('gen-keras-arith: up to date')
        return
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', encoding='utf8') as f:
        f.write(text)
    print(f'gen-keras-arith: wrote {os.path.relpath(OUT, ROOT)} ({len(CASES)} cases)')


if __name__ == '__main__':
    main(sys.argv[1:])
