"""Keras 3 layer constructors written the way users write them (positional, keyword, omitted,
aliases), applied to one input: the output shape, parameter counts, weights and auto name Keras gives
each, or Keras' refusal (its words, and the argument and value it names); and a few layers' output
values for a given input and weights.
Writes test/fixtures/mutation/keras-readers.json, read by test/unit/mutation-readers/keras.test.ts.
Run: /path/to/venv-with-keras/bin/python scripts/gen-keras-reader-oracle.py"""
import ast
import inspect
import json
import os
import re

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

CASES = [
    # pooling: strides default to the pool size
    ("layers.MaxPooling2D()", [7, 7, 3]),
    ("layers.MaxPooling2D(3)", [10, 10, 3]),
    ("layers.MaxPooling2D(3, 1)", [10, 10, 3]),
    ("layers.MaxPooling2D((2, 3), strides=None)", [8, 9, 3]),
    ("layers.AveragePooling2D(2, padding='same')", [7, 7, 3]),
    ("layers.MaxPool2D(2)", [8, 8, 3]),
    ("layers.AvgPool1D(3, 2)", [10, 4]),
    ("layers.MaxPooling1D()", [9, 4]),
    ("layers.GlobalMaxPool2D()", [5, 5, 3]),
    ("layers.GlobalAvgPool1D(keepdims=True)", [5, 3]),
    # convolutions: positional order per class, defaults
    ("layers.Conv2D(4, 3)", [8, 8, 3]),
    ("layers.Conv2D(4, (3, 1), (2, 1), 'same')", [8, 8, 3]),
    ("layers.Conv2D(6, 3, 1, 'valid', None, 2)", [9, 9, 3]),
    ("layers.Conv2D(6, 3, groups=3, use_bias=False)", [8, 8, 3]),
    ("layers.Convolution2D(4, 3, padding='Same')", [8, 8, 3]),
    ("layers.Conv1D(4, 3, padding='causal')", [9, 2]),
    ("layers.Conv1D(4, 3, 2)", [9, 2]),
    ("layers.Conv2DTranspose(4, 3, 2)", [5, 5, 3]),
    ("layers.Conv2DTranspose(4, 3, 2, 'same', 1)", [5, 5, 3]),
    ("layers.Conv2DTranspose(4, 3, strides=2, output_padding=None)", [5, 5, 3]),
    ("layers.Conv1DTranspose(4, 3, 2, 'same')", [5, 3]),
    ("layers.DepthwiseConv2D(3)", [8, 8, 3]),
    ("layers.DepthwiseConv2D(3, 1, 'valid', 2)", [8, 8, 3]),
    ("layers.DepthwiseConv2D(3, depth_multiplier=2, use_bias=False)", [8, 8, 3]),
    ("layers.SeparableConv2D(5, 3)", [8, 8, 3]),
    ("layers.SeparableConv2D(5, 3, 1, 'valid', None, 1, 2)", [8, 8, 3]),
    ("layers.SeparableConv1D(5, 3, depth_multiplier=2, use_bias=False)", [8, 3]),
    # dense and normalization
    ("layers.Dense(5)", [7]),
    ("layers.Dense(5, None, False)", [7]),
    ("layers.BatchNormalization()", [4, 4, 6]),
    ("layers.BatchNormalization(-1, 0.9, 1e-5, False)", [4, 4, 6]),
    ("layers.BatchNormalization(scale=False)", [4, 4, 6]),
    ("layers.LayerNormalization()", [4, 6]),
    ("layers.LayerNormalization(axis=[1, 2])", [4, 6]),
    ("layers.LayerNormalization(center=False)", [4, 6]),
    ("layers.LayerNormalization(-1, 1e-3, True, False)", [4, 6]),
    ("layers.GroupNormalization(2)", [4, 4, 6]),
    ("layers.GroupNormalization(groups=3, center=False)", [4, 4, 6]),
    ("layers.GroupNormalization(3, -1, 1e-3, True, False)", [4, 4, 6]),
    # activations
    ("layers.ReLU()", [4, 3]),
    ("layers.ReLU(6.0)", [4, 3]),
    ("layers.LeakyReLU()", [4, 3]),
    ("layers.ELU()", [4, 3]),
    ("layers.Softmax()", [4, 3]),
    ("layers.Activation('relu')", [4, 3]),
    ("layers.PReLU()", [4, 4, 3]),
    ("layers.PReLU(shared_axes=[1, 2])", [4, 4, 3]),
    # padding, cropping, resampling
    ("layers.ZeroPadding1D()", [5, 2]),
    ("layers.ZeroPadding1D((1, 3))", [5, 2]),
    ("layers.ZeroPadding2D()", [5, 5, 2]),
    ("layers.ZeroPadding2D(2)", [5, 5, 2]),
    ("layers.ZeroPadding2D((1, 2))", [5, 5, 2]),
    ("layers.ZeroPadding2D(((1, 0), (2, 3)))", [5, 5, 2]),
    ("layers.Cropping1D()", [6, 2]),
    ("layers.Cropping1D((2, 0))", [6, 2]),
    ("layers.Cropping2D()", [6, 6, 2]),
    ("layers.Cropping2D(1)", [6, 6, 2]),
    ("layers.Cropping2D(((1, 0), (2, 1)))", [6, 6, 2]),
    ("layers.UpSampling1D()", [5, 2]),
    ("layers.UpSampling1D(3)", [5, 2]),
    ("layers.UpSampling2D()", [4, 5, 2]),
    ("layers.UpSampling2D((2, 3), interpolation='bilinear')", [4, 5, 2]),
    ("layers.Resizing(6, 9)", [4, 5, 2]),
    # shape and identity layers
    ("layers.Flatten()", [4, 5, 2]),
    ("layers.Reshape((5, 8))", [4, 5, 2]),
    ("layers.Dropout(0.5)", [4, 3]),
    ("layers.SpatialDropout2D(0.2)", [4, 4, 3]),
    ("layers.GaussianNoise(0.1)", [4, 3]),
    ("layers.Rescaling(1.0 / 255)", [4, 4, 3]),
    ("layers.Rescaling(2.0, -1.0)", [4, 4, 3]),
    # more arguments a user writes: tuples, dilations, axes, upper-case modes, per-axis values
    ("layers.Conv2D(4, 3, dilation_rate=(2, 1))", [9, 9, 3]),
    ("layers.Conv2D(filters=4, kernel_size=(1, 3), strides=(1, 2), padding='same')", [7, 7, 3]),
    ("layers.Conv2D(4, 3, padding='SAME')", [7, 7, 3]),
    ("layers.Conv1D(4, 3, dilation_rate=2, use_bias=False)", [9, 2]),
    ("layers.Conv1D(4, 3, 2, 'same', groups=2)", [9, 2]),
    ("layers.Conv2DTranspose(4, (3, 2), (2, 3), 'valid', (1, 2))", [5, 5, 3]),
    ("layers.Conv2DTranspose(4, 3, 2, padding='same', use_bias=False)", [5, 5, 3]),
    ("layers.Conv1DTranspose(4, 3, 2, 'valid', 1)", [5, 3]),
    ("layers.Conv1DTranspose(4, 3, 2, 'same', 1)", [5, 3]),
    ("layers.Conv1DTranspose(4, 3, dilation_rate=2)", [5, 3]),
    ("layers.Convolution2DTranspose(4, 3)", [5, 5, 3]),
    ("layers.DepthwiseConv2D((3, 1), (2, 1), 'same')", [8, 8, 3]),
    ("layers.DepthwiseConv1D(3, depth_multiplier=2)", [8, 3]),
    ("layers.DepthwiseConv1D(3, 2, 'same', use_bias=False)", [8, 3]),
    ("layers.SeparableConv2D(5, 3, padding='same', dilation_rate=2)", [8, 8, 3]),
    ("layers.SeparableConv2D(5, (1, 3), strides=(2, 1), use_bias=False)", [8, 8, 3]),
    ("layers.SeparableConv1D(5, 3, 2, 'same')", [8, 3]),
    ("layers.SeparableConvolution2D(5, 3)", [8, 8, 3]),
    ("layers.MaxPooling2D((2, 3), (1, 2), 'same')", [7, 8, 3]),
    ("layers.MaxPooling2D(pool_size=3, strides=2, padding='SAME')", [7, 7, 3]),
    ("layers.AveragePooling1D(2, padding='same')", [7, 4]),
    ("layers.AveragePooling1D(pool_size=3, strides=1)", [7, 4]),
    ("layers.MaxPool1D(3, None, 'same')", [7, 4]),
    ("layers.AvgPool2D((3, 2))", [7, 7, 3]),
    ("layers.GlobalMaxPooling1D(keepdims=True)", [5, 3]),
    ("layers.GlobalAveragePooling2D(keepdims=True)", [5, 4, 3]),
    ("layers.GlobalAveragePooling2D()", [5, 4, 3]),
    ("layers.GlobalMaxPool1D()", [5, 3]),
    ("layers.Dense(units=3, use_bias=False)", [4, 7]),
    ("layers.Dense(3, 'relu')", [4, 7]),
    ("layers.BatchNormalization(center=False)", [4, 4, 6]),
    ("layers.BatchNormalization(center=False, scale=False)", [4, 4, 6]),
    ("layers.LayerNormalization(axis=1)", [4, 6]),
    ("layers.LayerNormalization(scale=False, center=False)", [4, 6]),
    ("layers.GroupNormalization(groups=2, scale=False)", [4, 4, 6]),
    ("layers.GroupNormalization(3, center=False, scale=False)", [4, 4, 6]),
    ("layers.PReLU(shared_axes=[1])", [4, 5, 3]),
    ("layers.PReLU(shared_axes=None)", [4, 5, 3]),
    ("layers.ReLU(negative_slope=0.1)", [4, 3]),
    ("layers.ReLU(threshold=0.5)", [4, 3]),
    ("layers.LeakyReLU(negative_slope=0.2)", [4, 3]),
    ("layers.ELU(0.5)", [4, 3]),
    ("layers.Softmax(axis=1)", [4, 3]),
    ("layers.Activation('sigmoid')", [4, 3]),
    ("layers.ZeroPadding1D(2)", [5, 2]),
    ("layers.ZeroPadding2D(((0, 1), (3, 0)))", [5, 5, 2]),
    ("layers.ZeroPadding2D(padding=(0, 2))", [5, 5, 2]),
    ("layers.Cropping1D(2)", [6, 2]),
    ("layers.Cropping1D(cropping=(0, 3))", [6, 2]),
    ("layers.Cropping2D((1, 2))", [6, 6, 2]),
    ("layers.Cropping2D(((0, 2), (1, 0)))", [6, 6, 2]),
    ("layers.UpSampling1D(size=4)", [5, 2]),
    ("layers.UpSampling2D(3)", [4, 5, 2]),
    ("layers.UpSampling2D(size=(1, 2), interpolation='nearest')", [4, 5, 2]),
    ("layers.Resizing(3, 2, interpolation='nearest')", [4, 5, 2]),
    ("layers.Resizing(height=7, width=4)", [4, 5, 2]),
    ("layers.Reshape((-1, 4))", [4, 5, 2]),
    ("layers.Reshape(target_shape=(40,))", [4, 5, 2]),
    ("layers.Flatten()", [6]),
    ("layers.Rescaling([0.5, 2.0, 1.0])", [4, 4, 3]),
    ("layers.Rescaling(scale=0.5, offset=[1.0, 0.0, 2.0])", [4, 4, 3]),
    ("layers.Normalization()", [4, 3]),
    ("layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0])", [4, 3]),
    ("layers.Normalization(axis=None, mean=2.0, variance=4.0)", [4, 3]),
    ("layers.SpatialDropout1D(0.3)", [4, 3]),
    ("layers.GaussianDropout(0.2)", [4, 3]),
    # refused by Keras, so left unread
    ("layers.MaxPooling1D(2, padding='causal')", [9, 4]),
    ("layers.AveragePooling2D(2, padding='full')", [8, 8, 3]),
    ("layers.Conv2D(4, 3, padding='full')", [8, 8, 3], "padding"),
    ("layers.ZeroPadding1D((1, 2, 3))", [5, 2]),
    ("layers.ZeroPadding2D((1, 2, 3))", [5, 5, 2]),
    ("layers.ZeroPadding2D(((1, 2, 3), 1))", [5, 5, 2]),
    ("layers.Cropping2D('a')", [6, 6, 2]),
    ("layers.Cropping1D((1, 2, 3))", [6, 2]),
    ("layers.GroupNormalization(0)", [4, 4, 6]),
    ("layers.Conv2D(4, 'a')", [8, 8, 3]),
    ("layers.MaxPooling2D('a')", [8, 8, 3]),
    ("layers.UpSampling2D('a')", [4, 5, 2]),
    ("layers.MaxPooling2D(2, strides='a')", [8, 8, 3]),
    ("layers.MaxPooling2D(2, (1, 2, 3))", [8, 8, 3]),
    ("layers.AveragePooling1D(2, strides=(1, 2))", [8, 3]),
    ("layers.Conv2D(4, 3, strides='a')", [8, 8, 3]),
    ("layers.Conv2D(4, 3, dilation_rate=(1, 2, 3))", [8, 8, 3]),
    ("layers.Conv1D(4, (3, 3))", [8, 3]),
    ("layers.ReLU(max_value='a')", [4, 3], "max_value"),
    ("layers.ReLU(max_value=-1.0)", [4, 3]),
    ("layers.ReLU(negative_slope=-0.5)", [4, 3]),
    ("layers.ReLU(negative_slope=None)", [4, 3]),
    ("layers.ReLU(threshold=-1.0)", [4, 3]),
    ("layers.Resizing('a', 4)", [4, 5, 2], "height"),
    ("layers.Resizing(4, 'a')", [4, 5, 2], "width"),
    ("layers.Rescaling('a')", [4, 4, 3], "scale"),
    ("layers.Rescaling(1.0, 'a')", [4, 4, 3], "offset"),
    ("layers.UpSampling1D(0)", [5, 2]),
    ("layers.UpSampling1D('a')", [5, 2], "size"),
    ("layers.GroupNormalization('a')", [4, 4, 6]),
    ("layers.Softmax(axis='a')", [4, 3], "axis"),
    ("layers.PReLU(shared_axes='a')", [4, 4, 3], "shared_axes"),
    ("layers.Normalization(axis='a')", [4, 3], "axis"),
    ("layers.BatchNormalization(axis=[2])", [4, 4, 6], "axis"),
    ("layers.BatchNormalization(axis=None)", [4, 4, 6], "axis"),
    ("layers.BatchNormalization(axis=0)", [4, 4, 6], "axis"),
    ("layers.BatchNormalization(axis=-4)", [4, 4, 6], "axis"),
    ("layers.LayerNormalization(axis=0)", [4, 6], "axis"),
    ("layers.Concatenate(axis='a')", [4, 3], "axis"),
    # pads and crops given as lists, like tuples
    ("layers.ZeroPadding2D([1, 2])", [5, 5, 2]),
    ("layers.ZeroPadding1D([1, 2])", [5, 2]),
    ("layers.Cropping2D([1, 2])", [6, 6, 2]),
    ("layers.Cropping1D([1, 2])", [6, 2]),
    # output_padding=None with 'same' is not output_padding=0 (Keras' deconv_output_length)
    ("layers.Conv2DTranspose(4, 3, 2, 'same', output_padding=None)", [5, 5, 3]),
    ("layers.Conv2DTranspose(4, 3, 2, 'same', output_padding=0)", [5, 5, 3]),
    ("layers.Conv1DTranspose(4, 3, 2, 'same', None)", [5, 3]),
    # the normalized axis of a batch normalization is counted whatever it is; axis=[] normalizes nothing
    ("layers.BatchNormalization(axis=1)", [4, 4, 6]),
    ("layers.BatchNormalization(axis=-3, center=False)", [4, 4, 6]),
    ("layers.BatchNormalization(2)", [3, 5, 6]),
    ("layers.LayerNormalization(axis=[])", [4, 6]),
    ("layers.LayerNormalization(axis=[], scale=False)", [4, 6]),
    ("layers.PReLU()", [4, 5, 3]),
    ("layers.Softmax(-2)", [4, 3]),
    ("layers.GaussianDropout(0.25)", [4, 3]),
    ("layers.GroupNormalization(2, axis=3)", [4, 4, 6]),
    ("layers.GroupNormalization(3, axis=-1)", [4, 4, 6]),
    ("layers.GroupNormalization(2, axis='a')", [4, 4, 6], "axis"),
    ("layers.LeakyReLU(negative_slope=-0.1)", [4, 3]),
    ("layers.LeakyReLU(negative_slope=None)", [4, 3]),
    ("layers.LeakyReLU(negative_slope=0.2, alpha=-0.1)", [4, 3], "alpha"),
    ("layers.LeakyReLU(0.0)", [4, 3]),
    ("layers.GroupNormalization(-1)", [4, 4, 6]),
    ("layers.GroupNormalization(-2)", [4, 4, 6]),
    ("layers.Conv2D(4)", [8, 8, 3], "kernel_size"),
    ("layers.Resizing(width=4)", [4, 5, 2], "height"),
    ("layers.Rescaling(scale=(0.5, 2.0, 1.0), offset=(0.0, 1.0, 0.0))", [4, 4, 3]),
    ("layers.ReLU(max_value=0.0)", [4, 3]),
    ("layers.Normalization(mean=None, variance=None)", [4, 3]),
    ("layers.Rescaling([0.5, 'a', 1.0])", [4, 4, 3], "scale"),
    ("layers.Rescaling(0.5, [0.0, 'a', 1.0])", [4, 4, 3], "offset"),
]

# Built by Keras, not read by ConvLens (a refusal naming the argument): Keras' result is recorded
UNREAD = [
    ("layers.GroupNormalization(2, axis=1)", [4, 4, 6], "axis"),
    ("layers.GroupNormalization(2, axis=-3)", [4, 4, 6], "axis"),
    ("layers.Reshape('a')", [4, 5, 2], "target_shape"),
]

# Values: (layer, input shape, input, weights in layer.weights order or None); the input batch of one
VALUES = [
    ("layers.BatchNormalization(axis=1, epsilon=0.0)", [2, 2, 2], list(range(8)), [[2, 3], [1, -1], [1, 2], [4, 9]]),
    ("layers.BatchNormalization(axis=-3, epsilon=0.0, center=False)", [2, 2, 2], list(range(8)), [[2, 3], [1, 2], [4, 9]]),
    ("layers.LayerNormalization(axis=[])", [2, 2], [1, 3, 5, 7], [2.0, 0.5]),
    ("layers.AveragePooling2D(2, padding='same')", [5, 5, 1], list(range(1, 26)), None),
    ("layers.AveragePooling1D(3, 1, padding='same')", [5, 1], [1, 2, 3, 4, 5], None),
    ("layers.PReLU()", [2, 2], [-1, 2, -3, -4], [[[0.5, 0.25], [0.1, 2.0]]]),
    ("layers.GroupNormalization(-1, epsilon=0.0)", [2, 2, 2], [0, 1, 2, 5, 4, 3, 6, 9], [[1.0, 2.0], [0.0, 1.0]]),
    ("layers.LeakyReLU(0.5)", [4], [-2, -1, 0, 3], None),
    ("layers.LeakyReLU(negative_slope=0.2, alpha=0.1)", [4], [-2, -1, 0, 3], None),
    ("layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0])", [2, 3], [1, 2, 3, 4, 6, 12], None),
    ("layers.Normalization(axis=None, mean=2.0, variance=4.0)", [2, 3], [1, 2, 3, 4, 6, 12], None),
    ("layers.Normalization(mean=(1.0, 2.0, 3.0), variance=(1.0, 4.0, 9.0))", [2, 3], [1, 2, 3, 4, 6, 12], None),
    ("layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0], invert=True)", [2, 3], [1, 2, 3, 4, 6, 12], None),
    ("layers.UpSampling2D(2, interpolation='bilinear')", [2, 2, 1], [1, 2, 3, 4], None),
    ("layers.UpSampling2D(2)", [2, 2, 1], [1, 2, 3, 4], None),
    ("layers.Resizing(3, 3, interpolation='nearest')", [2, 2, 1], [1, 2, 3, 4], None),
    ("layers.Resizing(3, 3)", [2, 2, 1], [1, 2, 3, 4], None),
    ("layers.Conv2DTranspose(1, 3, 2, 'same', output_padding=None, use_bias=False)", [2, 2, 1], [1, 2, 3, 4], [np.arange(1, 10).reshape(3, 3, 1, 1)]),
]

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def refusal(e, arg):
    """Keras' words, and the argument and value it names ("Received: padding=full", "Received
    size=a"); `arg` names it where Keras' message does not (a TypeError deep in the layer)."""
    text = ANSI.sub("", str(e))
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    said = [ln for ln in lines if "must" in ln or "Received" in ln or "invalid" in ln.lower() or "cannot" in ln]
    error = (said or lines or [type(e).__name__])[0]
    m = re.search(r"Received:? (?:[^=]* )?(\w+)=(.+?)\.?$", error)
    named = {"arg": m.group(1), "value": m.group(2)} if m else {}
    if arg is not None and named.get("arg") != arg:
        named = {"arg": arg}
    return {"error": error, **named}


def written(src, arg):
    """The source text of argument `arg` in the call `src`, given by keyword or by position."""
    call = ast.parse(src, mode="eval").body
    for k in call.keywords:
        if k.arg == arg:
            return ast.unparse(k.value)
    cls = eval(ast.unparse(call.func), {"layers": layers})
    params = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    for i, a in enumerate(call.args):
        if params[i] == arg:
            return ast.unparse(a)
    return None


out = []
for src, shape, *arg in CASES + [(src, shape, None, arg) for src, shape, arg in UNREAD]:
    keras.backend.clear_session()
    x = keras.Input(shape=tuple(shape))
    merge = src.startswith("layers.Concatenate")
    try:
        layer = eval(src, {"layers": layers})
        y = layer([x, x] if merge else x)
        # some arguments fail only on data (a scale that is a string, an axis that is a string)
        data = np.ones((1, *shape), "float32")
        layer([data, data] if merge else data)
    except Exception as e:  # a refusal is recorded as Keras words it
        said = refusal(e, arg[0] if arg else None)
        out.append({"layer": src, "input": shape, **said, "written": written(src, said["arg"])})
        continue
    case = {
        "layer": src,
        "input": shape,
        "name": layer.name,
        "class": type(layer).__name__,
        "output": list(y.shape[1:]),
        "params": int(layer.count_params()),
        "trainable": int(sum(int(w.numpy().size) for w in layer.trainable_weights)),
        "weights": [[w.path.split("/")[-1], list(w.shape)] for w in layer.weights],
    }
    if len(arg) > 1:
        case["unread"] = arg[1]
        case["written"] = written(src, arg[1])
    config = layer.get_config()
    for k in ("rate", "interpolation"):
        if k in config:
            case[k] = config[k]
    out.append(case)

values = []
for src, shape, data, weights in VALUES:
    keras.backend.clear_session()
    layer = eval(src, {"layers": layers})
    layer(keras.Input(shape=tuple(shape)))
    if weights is not None:
        layer.set_weights([np.array(w, "float32") for w in weights])
    names = [w.path.split("/")[-1] for w in layer.weights]
    y = layer(np.array(data, "float32").reshape((1, *shape)))
    values.append(
        {
            "layer": src,
            "input": shape,
            "data": data,
            "weights": dict(zip(names, [np.array(w, "float64").ravel().tolist() for w in weights])) if weights else {},
            "output": list(y.shape[1:]),
            "values": np.asarray(y, "float64").ravel().tolist(),
        }
    )

path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "mutation", "keras-readers.json")
with open(path, "w") as f:
    json.dump({"keras": keras.__version__, "cases": out, "values": values}, f, indent=1)
    f.write("\n")
print(f"{len(out)} cases, {len(values)} value runs, keras {keras.__version__}")
