"""Keras 3 layer constructors written the way users write them (positional, keyword, omitted,
aliases), applied to one input: the output shape, parameter counts and auto name Keras gives each.
Writes test/fixtures/mutation/keras-readers.json, read by test/unit/mutation-readers/keras.test.ts.
Run: /path/to/venv-with-keras/bin/python scripts/gen-keras-reader-oracle.py"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402
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
    ("layers.Conv2D(4, 3, padding='full')", [8, 8, 3]),
    ("layers.ZeroPadding1D((1, 2, 3))", [5, 2]),
    ("layers.ZeroPadding2D((1, 2, 3))", [5, 5, 2]),
    ("layers.ZeroPadding2D(((1, 2, 3), 1))", [5, 5, 2]),
    ("layers.Cropping2D('a')", [6, 6, 2]),
    ("layers.Cropping1D((1, 2, 3))", [6, 2]),
    ("layers.GroupNormalization(0)", [4, 4, 6]),
    ("layers.Conv2D(4, 'a')", [8, 8, 3]),
    ("layers.MaxPooling2D('a')", [8, 8, 3]),
    ("layers.UpSampling2D('a')", [4, 5, 2]),
]

out = []
for src, shape in CASES:
    keras.backend.clear_session()
    x = keras.Input(shape=tuple(shape))
    try:
        layer = eval(src, {"layers": layers})
        y = layer(x)
    except Exception as e:  # a refusal is recorded as Keras words it
        lines = [ln for ln in str(e).splitlines() if "must" in ln or "Received" in ln or "invalid" in ln.lower()]
        out.append({"layer": src, "input": shape, "error": (lines or str(e).splitlines() or [type(e).__name__])[0]})
        continue
    out.append(
        {
            "layer": src,
            "input": shape,
            "name": layer.name,
            "output": list(y.shape[1:]),
            "params": int(layer.count_params()),
            "trainable": int(sum(int(w.numpy().size) for w in layer.trainable_weights)),
        }
    )

path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "mutation", "keras-readers.json")
with open(path, "w") as f:
    json.dump({"keras": keras.__version__, "cases": out}, f, indent=1)
    f.write("\n")
print(f"{len(out)} cases, keras {keras.__version__}")
