#!/usr/bin/env python3
"""Writes the Keras model-file fixtures of test/unit/modelfile/keras.test.ts into
test/fixtures/modelfiles/keras/.

Run with a Python that has keras 3 and tensorflow (CPU):
    python -m venv /tmp/kvenv && /tmp/kvenv/bin/pip install keras tensorflow-cpu
    /tmp/kvenv/bin/python scripts/gen-keras-modelfiles.py

Per model <name>:
  <name>.keras (or .h5)   the file as Keras saves it (model.save)
  <name>.npz              float32 arrays: 'input' (2 samples, seeded) and one array per layer of
                          the model (model.layers order), keyed by layer name: that layer's output
                          in inference mode. Sequential models are run layer by layer (a nested
                          model is one layer of its outer model); functional models through
                          keras.Model(model.inputs, layer.output). A nested model's own layers
                          are there too, run on the input the nested model receives.
  truth.json              per model: file, kind, the layers of model.summary() (name, class,
                          output shape with the batch as null, param count; a nested model's own
                          layers under 'layers'), total / trainable /
                          non-trainable params, keras version.
"""
import json
import os

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
os.environ.setdefault('KERAS_BACKEND', 'tensorflow')

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'modelfiles', 'keras')
os.makedirs(OUT, exist_ok=True)
truth = {'keras_version': keras.__version__, 'models': {}}


def textbook():
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, 3, activation='relu', padding='same'),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation='relu', padding='same'),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(100, activation='relu'),
            layers.Dropout(0.4),
            layers.Dense(10, activation='softmax'),
        ],
        name='textbook_cnn',
    )


def two_branch():
    inp = keras.Input(shape=(16, 16, 3), name='image')
    a = layers.Conv2D(8, 3, padding='same', activation='relu', name='left_conv')(inp)
    b = layers.Conv2D(8, 1, padding='same', name='right_conv')(inp)
    s = layers.Add(name='sum')([a, b])
    c = layers.Concatenate(name='concat')([s, a])
    p = layers.MaxPooling2D(2)(c)
    f = layers.GlobalAveragePooling2D()(p)
    out = layers.Dense(5, activation='softmax', name='head')(f)
    return keras.Model(inp, out, name='two_branch')


def batchnorm():
    inp = keras.Input(shape=(12, 12, 3))
    x = layers.Conv2D(6, 3, use_bias=False)(inp)
    x = layers.BatchNormalization()(x)
    x = layers.Activation('relu')(x)
    x = layers.AveragePooling2D(2, padding='same')(x)
    x = layers.Conv2D(4, 3, padding='same')(x)
    x = layers.BatchNormalization(epsilon=0.01)(x)
    x = layers.GlobalAveragePooling2D()(x)
    out = layers.Dense(3)(x)
    return keras.Model(inp, out, name='bn_pool')


def separable():
    return keras.Sequential(
        [
            keras.Input(shape=(15, 15, 4)),
            layers.DepthwiseConv2D(3, strides=2, padding='same', depth_multiplier=2, activation='relu'),
            layers.SeparableConv2D(6, 3, strides=2, padding='same'),
            layers.Conv2D(5, 2, strides=(1, 2), padding='valid'),
            layers.Flatten(),
            layers.Dense(4),
        ],
        name='separable',
    )


def legacy():
    return keras.Sequential(
        [
            keras.Input(shape=(20, 20, 2)),
            layers.Conv2D(4, 5, strides=2, activation='tanh'),
            layers.BatchNormalization(),
            layers.MaxPooling2D(3, strides=2, padding='same'),
            layers.Flatten(),
            layers.Dense(6, activation='relu'),
            layers.Dense(2),
        ],
        name='legacy_seq',
    )


def nested():
    inp = keras.Input(shape=(16, 16, 3))
    x = layers.Conv2D(8, 3, strides=2, padding='same', activation='relu')(inp)
    x = layers.Conv2D(12, 3, padding='same', activation='relu')(x)
    base = keras.Model(inp, x, name='small_base')
    return keras.Sequential(
        [
            keras.Input(shape=(16, 16, 3)),
            base,
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation='softmax'),
        ],
        name='transfer',
    )


def with_lambda():
    return keras.Sequential(
        [
            keras.Input(shape=(10, 10, 1)),
            layers.Conv2D(3, 3),
            layers.Lambda(lambda t: t * 2.0, name='double'),
            layers.Flatten(),
            layers.Dense(2),
        ],
        name='with_lambda',
    )


def randomize(model, rng):
    """Random weights everywhere, BN statistics included (variance positive)."""
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            randomize(layer, rng)
            continue
        ws = layer.get_weights()
        if not ws:
            continue
        new = []
        for w, v in zip(layer.weights, ws):
            if 'variance' in w.name:
                new.append(rng.uniform(0.5, 1.5, v.shape).astype('float32'))
            elif 'gamma' in w.name:
                new.append(rng.uniform(0.5, 1.5, v.shape).astype('float32'))
            else:
                new.append(rng.normal(0, 0.3, v.shape).astype('float32'))
        layer.set_weights(new)


def shape_of(s):
    return [None if d is None else int(d) for d in s]


def n_params(ws):
    return int(sum(int(np.prod(w.shape)) for w in ws))


def record(name, model, file_name, x):
    path = os.path.join(OUT, file_name)
    if os.path.exists(path):
        os.remove(path)
    model.save(path)
    arrays = {'input': x.astype('float32')}
    rows = []
    if isinstance(model, keras.Sequential):
        y = x
        for layer in model.layers:
            if isinstance(layer, keras.Model):
                # a nested model: its own layers' outputs too (ConvLens shows them in the outer model)
                for inner in layer.layers[1:]:
                    sub = keras.Model(layer.inputs, inner.output)
                    arrays[inner.name] = np.asarray(sub(y, training=False)).astype('float32')
            y = np.asarray(layer(y, training=False))
            arrays[layer.name] = y.astype('float32')
    else:
        for layer in model.layers:
            y = np.asarray(keras.Model(model.inputs, layer.output)(x, training=False))
            arrays[layer.name] = y.astype('float32')
    def row(layer):
        return {
            'name': layer.name,
            'class': layer.__class__.__name__,
            'output_shape': [None] + list(arrays[layer.name].shape[1:]),
            'params': layer.count_params() if layer.built else 0,
        }

    for layer in model.layers:
        r = row(layer)
        if isinstance(layer, keras.Model):
            r['layers'] = [row(inner) for inner in layer.layers[1:]]
        rows.append(r)
    np.savez_compressed(os.path.join(OUT, name + '.npz'), **arrays)
    truth['models'][name] = {
        'file': file_name,
        'kind': 'sequential' if isinstance(model, keras.Sequential) else 'functional',
        'model_name': model.name,
        'input_shape': list(x.shape[1:]),
        'layers': rows,
        'total_params': model.count_params(),
        'trainable_params': n_params(model.trainable_weights),
        'non_trainable_params': n_params(model.non_trainable_weights),
    }


def main():
    keras.utils.set_random_seed(1234)
    specs = [
        ('textbook_cnn', textbook, 'textbook_cnn.keras'),
        ('two_branch', two_branch, 'two_branch.keras'),
        ('bn_pool', batchnorm, 'bn_pool.keras'),
        ('separable', separable, 'separable.keras'),
        ('legacy_seq', legacy, 'legacy_seq.h5'),
        ('transfer', nested, 'transfer.keras'),
        ('with_lambda', with_lambda, 'with_lambda.keras'),
    ]
    for i, (name, make, file_name) in enumerate(specs):
        rng = np.random.default_rng(100 + i)
        model = make()
        randomize(model, rng)
        shape = tuple(int(d) for d in model.inputs[0].shape[1:])
        x = rng.normal(0, 1, (2,) + shape).astype('float32')
        record(name, model, file_name, x)
    with open(os.path.join(OUT, 'truth.json'), 'w') as f:
        json.dump(truth, f, indent=1)
        f.write('\n')
    import h5py

    with h5py.File(os.path.join(OUT, 'legacy_seq.h5'), 'r') as f:
        assert 'model_config' in f.attrs, 'legacy .h5 without model_config'
    huge_tensor_h5(h5py)


def huge_tensor_h5(h5py):
    """hostile_huge_tensor.h5: a legacy full-model .h5 whose one weight declares 65536 x 65536
    float32 values (16 GB) in chunks that were never written: a few KB on disk."""
    config = {
        'class_name': 'Sequential',
        'config': {
            'name': 'huge',
            'layers': [
                {'class_name': 'InputLayer', 'config': {'name': 'in', 'batch_shape': [None, 65536]}},
                {'class_name': 'Dense', 'config': {'name': 'dense', 'units': 65536, 'use_bias': False}},
            ],
        },
    }
    path = os.path.join(OUT, 'hostile_huge_tensor.h5')
    with h5py.File(path, 'w') as f:
        f.attrs['model_config'] = json.dumps(config)
        f.attrs['keras_version'] = '3.15.1'
        f.attrs['backend'] = 'tensorflow'
        w = f.create_group('model_weights')
        w.attrs['layer_names'] = np.array([b'dense'])
        g = w.create_group('dense')
        g.attrs['weight_names'] = np.array([b'dense/kernel'])
        g.create_group('dense').create_dataset('kernel', shape=(65536, 65536), dtype='float32', chunks=(256, 256))


if __name__ == '__main__':
    main()
