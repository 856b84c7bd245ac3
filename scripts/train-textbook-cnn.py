#!/usr/bin/env python3
"""
Trains the textbook's CNN (examples/textbook_cnn.py, 합성곱 신경망) with real Keras on
scikit-learn's bundled handwritten digits, and writes the model ConvLens ships:
    media/models/textbook-cnn.weights.h5   model.save_weights (Keras 3)
    media/models/textbook-cnn.keras        model.save (architecture + weights; not compiled, no optimizer state)
    media/models/textbook-cnn.json         how it was made and its held-out accuracy (no dates)
    test/fixtures/trained/textbook-digits.json
        for test/unit/runtime/trained-textbook.test.ts: 20 held-out digits as model inputs with
        Keras's softmax for each, and Keras's softmax for media/samples/digit-0..9.png.

Run (needs keras 3, tensorflow-cpu, scikit-learn, scipy, numpy, h5py):
    /tmp/kvenv/bin/python scripts/train-textbook-cnn.py

Data: sklearn.datasets.load_digits: 1,797 8×8 images of handwritten digits (UCI "optical
recognition of handwritten digits", 43 writers), each pixel a count 0..16 of ink in a 4×4 block of
a 32×32 bitmap. No download: the data set is part of scikit-learn.

Preprocessing, to look like MNIST and like ConvLens's own sample digits (white strokes on black,
the digit in a 20×20 box, its centre of mass at the centre of the 28×28 image), then what
ConvLens feeds the model for a 28×28 grayscale PNG (value/255, shape (1, 28, 28, 1)):
  1. value / 16, into [0, 1] (16 = a fully inked block = white);
  2. resized 8×8 → 20×20 bilinearly with half-pixel centres (source x = (i + 0.5)·8/20 − 0.5,
     clamped to [0, 7]: ConvLens's own resize, src/io/resize.ts);
  3. contrast: v → clip((v − 0.4) / 0.4, 0, 1): the upscaled blocks are blurred and about
     twice as wide as a drawn stroke; this makes strokes white and about as thin as the samples'
     (ink > 0.5 covers ≈ 13% of the image; the sample digits' 8–20%);
  4. placed in a black 28×28 image at rows/columns 4..23, then shifted by whole pixels so that
     the centre of mass is nearest to (13.5, 13.5), the image centre (MNIST's normalisation).
Held-out split: train_test_split(test_size=0.2, stratify=labels, random_state=0): 1,437
training and 360 held-out images. The held-out images are preprocessed as above and nothing else.

Training: the 1,437 training images plus AUGMENT = 9 randomly distorted copies of each (stroke
thickness: step 3's threshold drawn from [0.2, 0.65]; then rotation within ±15°, scale
0.75–1.15, shear within ±0.25, shift within ±3 pixels; seeded numpy, see augment()), so that
digits drawn in the ConvLens drawing pad, thinner or off-centre, are recognised too. Adam
(learning rate 1e-3), batch 64, EPOCHS = 10 epochs, sparse categorical cross-entropy; seeds fixed
with keras.utils.set_random_seed and TensorFlow's op determinism enabled. Re-running on the same
machine and versions rewrites identical files (the .keras archive is rewritten without Keras's
save date and zip times, see normalise_keras_zip()).
"""
import base64
import hashlib
import json
import os
import re
import struct
import sys
import zipfile
import zlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import sklearn  # noqa: E402
from scipy import ndimage  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
MODELS = os.path.join(ROOT, "media", "models")
SAMPLES = os.path.join(ROOT, "media", "samples")
FIXTURE = os.path.join(ROOT, "test", "fixtures", "trained", "textbook-digits.json")

SEED = 0
EPOCHS = 10
BATCH = 64
LEARNING_RATE = 1e-3
AUGMENT = 9  # distorted copies of each training image
LOW, WIDTH = 0.4, 0.4  # contrast: v → clip((v − LOW) / WIDTH, 0, 1)
LOW_RANGE = (0.2, 0.65)  # augmentation: LOW drawn from this range
FIXTURE_PER_CLASS = 2


def build_model():
    """examples/textbook_cnn.py, layer for layer; Keras names the layers conv2d, max_pooling2d, …"""
    model = keras.Sequential()
    model.add(keras.layers.Conv2D(32, kernel_size=3, activation="relu", padding="same", input_shape=(28, 28, 1)))
    model.add(keras.layers.MaxPooling2D(2))
    model.add(keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu", padding="same"))
    model.add(keras.layers.MaxPooling2D(2))
    model.add(keras.layers.Flatten())
    model.add(keras.layers.Dense(100, activation="relu"))
    model.add(keras.layers.Dropout(0.4))
    model.add(keras.layers.Dense(10, activation="softmax"))
    return model


def compile_model(model):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )


LAYER_NAMES = ["conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "flatten", "dense", "dropout", "dense_1"]


# ---- preprocessing ---------------------------------------------------------------------------

def bilinear_matrix(src, dst):
    """(dst, src) weights of src/io/resize.ts's bilinear axis (half-pixel centres, clamped)."""
    m = np.zeros((dst, src), np.float64)
    s = src / dst
    for i in range(dst):
        x = min(max((i + 0.5) * s - 0.5, 0.0), src - 1.0)
        x0 = int(np.floor(x))
        f = x - x0
        m[i, x0] += 1 - f
        m[i, min(x0 + 1, src - 1)] += f
    return m


UP = bilinear_matrix(8, 20)


def centre(img):
    """Shifts a 28×28 image by whole pixels so its centre of mass is nearest to (13.5, 13.5)."""
    total = img.sum()
    if total <= 0:
        return img
    idx = np.arange(img.shape[0])
    cy = (img.sum(axis=1) * idx).sum() / total
    cx = (img.sum(axis=0) * idx).sum() / total
    dy = int(np.round(13.5 - cy))
    dx = int(np.round(13.5 - cx))
    return ndimage.shift(img, (dy, dx), order=0, mode="constant", cval=0.0)


def to_input(digit8, low=LOW):
    """One load_digits image (8×8, 0..16) → the model's 28×28 input in [0, 1] (see the header)."""
    x = digit8.astype(np.float64) / 16.0
    x = UP @ x @ UP.T
    x = np.clip((x - low) / WIDTH, 0.0, 1.0)
    out = np.zeros((28, 28), np.float64)
    out[4:24, 4:24] = x
    return centre(out).astype(np.float32)


def augment(digit8, rng):
    """A randomly distorted model input: strokes thinner or thicker (the contrast step's threshold
    drawn from LOW_RANGE), then an affine map about the centre (bilinear, black outside)."""
    img = to_input(digit8, rng.uniform(*LOW_RANGE))
    angle = np.deg2rad(rng.uniform(-15, 15))
    scale = rng.uniform(0.75, 1.15)
    shear = rng.uniform(-0.25, 0.25)
    shift = rng.uniform(-3, 3, size=2)
    c, s = np.cos(angle), np.sin(angle)
    # forward map (row, col) about the centre: rotation · shear · scale
    fwd = np.array([[c, -s], [s, c]]) @ np.array([[1, 0], [shear, 1]]) * scale
    inv = np.linalg.inv(fwd)
    centre_rc = np.array([13.5, 13.5])
    offset = centre_rc - inv @ (centre_rc + shift)
    out = ndimage.affine_transform(img.astype(np.float64), inv, offset=offset, order=1, mode="constant", cval=0.0)
    return np.clip(out, 0, 1).astype(np.float32)


# ---- the sample PNGs, read as ConvLens reads them ---------------------------------------------

def read_gray_png(path):
    """An 8-bit grayscale non-interlaced PNG (media/samples' digits) as a uint8 (H, W) array."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, width, height = 8, b"", None, None
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if (depth, colour, interlace) != (8, 0, 0):
                raise ValueError(f"{path}: expected an 8-bit grayscale non-interlaced PNG")
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    out = np.zeros((height, width), np.uint8)
    prev = np.zeros(width, np.int32)
    p = 0
    for y in range(height):
        filt = raw[p]
        line = np.frombuffer(raw[p + 1:p + 1 + width], np.uint8).astype(np.int32)
        p += 1 + width
        cur = np.zeros(width, np.int32)
        for x in range(width):
            a = cur[x - 1] if x else 0
            c = prev[x - 1] if x else 0
            b = prev[x]
            if filt == 0:
                pred = 0
            elif filt == 1:
                pred = a
            elif filt == 2:
                pred = b
            elif filt == 3:
                pred = (a + b) // 2
            elif filt == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            else:
                raise ValueError(f"{path}: bad PNG filter {filt}")
            cur[x] = (line[x] + pred) & 255
        out[y] = cur
        prev = cur
    return out


def sample_input(d):
    """What ConvLens feeds the model for media/samples/digit-<d>.png: a 28×28 gray PNG needs no
    resize or colour conversion, so it is value/255 (src/io/image.ts toModelInput, scale 1)."""
    px = read_gray_png(os.path.join(SAMPLES, f"digit-{d}.png"))
    if px.shape != (28, 28):
        raise ValueError(f"digit-{d}.png is {px.shape}, expected 28×28")
    return (px.astype(np.float64) / 255.0).astype(np.float32)


# ---- files -----------------------------------------------------------------------------------

def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode("ascii")


def sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def normalise_keras_zip(path):
    """Rewrites a .keras archive so that the same weights give the same bytes: fixed entry times,
    no date_saved in metadata.json (Keras stamps both with the current time), and config.json's
    shared_object_ids (Python object addresses) renumbered 1, 2, … in order of appearance (Keras
    only matches them with each other)."""
    with zipfile.ZipFile(path) as z:
        entries = [(info.filename, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        for name, body in entries:
            if name == "metadata.json":
                meta = json.loads(body)
                meta.pop("date_saved", None)
                body = json.dumps(meta).encode()
            elif name == "config.json":
                ids = {}

                def renumber(m):
                    return f'"shared_object_id": {ids.setdefault(m.group(1), len(ids) + 1)}'

                body = re.sub(r'"shared_object_id": (\d+)', renumber, body.decode()).encode()
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), body)


def main():
    keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()

    model = build_model()
    names = [layer.name for layer in model.layers]
    if names != LAYER_NAMES:
        sys.exit(f"layer names {names}, expected {LAYER_NAMES}: run the script in a fresh Python")

    digits = load_digits()
    images, labels = digits.images, digits.target.astype(np.int64)
    index = np.arange(len(labels))
    train_idx, test_idx = train_test_split(index, test_size=0.2, stratify=labels, random_state=0)

    x_train = np.stack([to_input(images[i]) for i in train_idx])
    y_train = labels[train_idx]
    x_test = np.stack([to_input(images[i]) for i in test_idx])
    y_test = labels[test_idx]

    rng = np.random.default_rng(SEED)
    extra = [augment(images[i], rng) for _ in range(AUGMENT) for i in train_idx]
    x_fit = np.concatenate([x_train, np.stack(extra)])[..., None]
    y_fit = np.concatenate([y_train] + [y_train] * AUGMENT)

    compile_model(model)
    model.fit(x_fit, y_fit, batch_size=BATCH, epochs=EPOCHS, shuffle=True, verbose=2)

    probs_test = model.predict(x_test[..., None], batch_size=360, verbose=0)
    pred_test = probs_test.argmax(axis=1)
    correct = int((pred_test == y_test).sum())
    accuracy = correct / len(y_test)
    train_acc = float((model.predict(x_train[..., None], batch_size=512, verbose=0).argmax(1) == y_train).mean())
    print(f"held-out accuracy: {correct}/{len(y_test)} = {accuracy:.4f} (training images, undistorted: {train_acc:.4f})")
    wrong = [(int(test_idx[i]), int(y_test[i]), int(pred_test[i])) for i in np.nonzero(pred_test != y_test)[0]]
    print("held-out errors (load_digits index, label, predicted):", wrong)

    # A fresh model with the trained weights and the same layer names, not compiled: Adam's state
    # would triple the .keras file, and an empty optimizer makes load_model warn.
    trained = [layer.get_weights() for layer in model.layers]
    keras.backend.clear_session()
    keras.utils.set_random_seed(SEED)
    shipped = build_model()
    if [layer.name for layer in shipped.layers] != LAYER_NAMES:
        sys.exit("the rebuilt model's layer names differ")
    for layer, w in zip(shipped.layers, trained):
        layer.set_weights(w)

    samples_x = np.stack([sample_input(d) for d in range(10)])
    probs_samples = shipped.predict(samples_x[..., None], verbose=0)
    pred_samples = [int(p) for p in probs_samples.argmax(axis=1)]
    print("sample digits 0..9 predicted as:", pred_samples)
    check = shipped.predict(x_test[..., None], batch_size=360, verbose=0)
    if not np.allclose(check, probs_test, rtol=1e-5, atol=1e-7):
        sys.exit("the rebuilt model disagrees with the trained one")

    os.makedirs(MODELS, exist_ok=True)
    weights_path = os.path.join(MODELS, "textbook-cnn.weights.h5")
    keras_path = os.path.join(MODELS, "textbook-cnn.keras")
    shipped.save_weights(weights_path)
    shipped.save(keras_path)
    normalise_keras_zip(keras_path)
    reloaded = keras.saving.load_model(keras_path)
    if not np.allclose(reloaded.predict(x_test[..., None], verbose=0), probs_test, rtol=1e-5, atol=1e-7):
        sys.exit("the saved .keras model does not reload to the same outputs")

    info = {
        "model": "examples/textbook_cnn.py",
        "layers": LAYER_NAMES,
        "params": int(shipped.count_params()),
        "dataset": {
            "name": "scikit-learn load_digits (UCI optical recognition of handwritten digits)",
            "images": int(len(labels)),
            "size": [8, 8],
            "values": [0, 16],
            "classes": 10,
        },
        "preprocessing": [
            "value / 16, into [0, 1]",
            "resized 8x8 -> 20x20, bilinear with half-pixel centres (source x = (i + 0.5) * 8/20 - 0.5, clamped)",
            f"contrast: v -> clip((v - {LOW}) / {WIDTH}, 0, 1), strokes about as thin and as white as the samples'",
            "placed at rows and columns 4..23 of a black 28x28 image",
            "shifted by whole pixels to put the centre of mass nearest to (13.5, 13.5)",
            "shape (28, 28, 1): white digit on black, like MNIST and media/samples/digit-*.png",
        ],
        "split": {
            "method": "sklearn.model_selection.train_test_split(test_size=0.2, stratify=labels, random_state=0)",
            "train": int(len(train_idx)),
            "heldOut": int(len(test_idx)),
        },
        "training": {
            "optimizer": "Adam",
            "learningRate": LEARNING_RATE,
            "batchSize": BATCH,
            "epochs": EPOCHS,
            "loss": "sparse_categorical_crossentropy",
            "augmentation": f"{AUGMENT} randomly distorted copies of each training image: rotation within 15 degrees, "
            "scale 0.75-1.15, shear within 0.25, shift within 3 pixels, "
            f"stroke thickness varied by drawing the contrast threshold from {list(LOW_RANGE)}",
            "seed": SEED,
        },
        "heldOutAccuracy": {"correct": correct, "total": int(len(y_test)), "accuracy": round(accuracy, 4)},
        "samples": {f"digit-{d}.png": pred_samples[d] for d in range(10)},
        "versions": {
            "keras": keras.__version__,
            "tensorflow": tf.__version__,
            "scikit-learn": sklearn.__version__,
            "scipy": scipy.__version__,
            "numpy": np.__version__,
        },
        "files": {
            "textbook-cnn.weights.h5": {"bytes": os.path.getsize(weights_path), "sha256": sha256(weights_path)},
            "textbook-cnn.keras": {"bytes": os.path.getsize(keras_path), "sha256": sha256(keras_path)},
        },
    }
    with open(os.path.join(MODELS, "textbook-cnn.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")

    # Fixture: the first FIXTURE_PER_CLASS held-out images of each class, in held-out order.
    chosen = []
    for d in range(10):
        chosen += [i for i in range(len(y_test)) if y_test[i] == d][:FIXTURE_PER_CLASS]
    fixture = {
        "generator": "scripts/train-textbook-cnn.py",
        "oracle": f"keras {keras.__version__}",
        "model": "examples/textbook_cnn.py",
        "weights": "media/models/textbook-cnn.weights.h5",
        "inputShape": [28, 28, 1],
        "digits": [
            {
                "index": int(test_idx[i]),
                "label": int(y_test[i]),
                "input": b64(x_test[i]),
                "softmax": [float(v) for v in probs_test[i]],
            }
            for i in chosen
        ],
        "samples": [
            {
                "file": f"media/samples/digit-{d}.png",
                "digit": d,
                "input": b64(samples_x[d]),
                "softmax": [float(v) for v in probs_samples[d]],
                "predicted": pred_samples[d],
            }
            for d in range(10)
        ],
    }
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    with open(FIXTURE, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    print(json.dumps(info["files"], indent=2))


if __name__ == "__main__":
    main()
