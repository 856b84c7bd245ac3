"""Prints the output sizes Keras 3 gives Conv2DTranspose with output_padding, for the cases in
test/unit/mutation-geometry/geometry-edges.test.ts (padding, in, kernel, stride, output_padding → out).
Run with a Python that has keras and a backend installed: python3 scripts/gen-transpose-sizes.py"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import keras  # noqa: E402

CASES = [
    ("same", 4, 3, 2, 1),
    ("same", 5, 4, 3, 2),
    ("same", 4, 5, 2, 1),
    ("same", 3, 3, 3, 2),
    ("valid", 4, 3, 2, 1),
    ("valid", 5, 4, 3, 2),
    ("valid", 4, 5, 2, 1),
    ("valid", 3, 2, 3, 0),
]
for pad, n, k, s, op in CASES:
    x = np.zeros((1, n, n, 1), dtype="float32")
    y = keras.layers.Conv2DTranspose(1, k, strides=s, padding=pad, output_padding=op)(x)
    print(f"{pad} in={n} k={k} s={s} output_padding={op} -> {y.shape[1]}")
