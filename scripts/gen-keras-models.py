#!/usr/bin/env python3
"""
Real-Keras oracle for model fixtures under test/fixtures/models/keras/.

Run (needs keras 3, tensorflow-cpu and numpy; CI does not run it, its outputs are committed):
    python3 -m venv /tmp/kvenv && /tmp/kvenv/bin/pip install keras tensorflow-cpu numpy
    /tmp/kvenv/bin/python scripts/gen-keras-models.py

For every fixture in FIXTURES the file is executed as Python with real Keras, and each top-level
keras.Model it binds to a variable is written to <file>.oracle.json in the format
test/unit/analysis/oracle-models.test.ts reads:
    {"file", "generator", "oracle": "keras <version>", "models": [{"name": <variable>,
     "framework": "keras", "inputShape": [...], "layers": [{"name", "type", "outputShape",
     "params", "trainable"}], "totalParams", "trainableParams"}]}
A model used as a layer of another is left out. A layer is listed as model.layers lists it (a
functional model's InputLayer first, Sequential has none) (a nested model is one row, as model.summary() shows
it, with its own rows under "layers"), its params are count_params(), trainable the count of its trainable weights.

For the fixtures in VALUES it also writes <file>.values.json: a seeded input (batch 2) and seeded
weights for every layer (name → shape and base64 float32 little-endian data, by Keras variable
name), set with layer.set_weights, and every layer's output on that input, for
test/unit/runtime/keras-layers-forward.test.ts. Weights are drawn uniform in [-0.5, 0.5] for
kernels and biases, [0.5, 1.5] for gamma and (moving) variance, [0.1, 0.4] for PReLU's alpha.
"""
import base64
import json
import os
import sys
import zlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import keras  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "models", "keras")
FIXTURES = ["layers_1d.py", "layers_2d.py", "applications_style.py", "nested_models.py", "applications_blocks.py", "normalization.py",
            "app_source/model.py", "custom_layers.py", "lambda_layers.py"]
VALUES = ["layers_1d.py", "layers_2d.py", "nested_models.py", "normalization.py"]
# A fixture whose imports reach application modules of a package folder standing for
# site-packages: before it runs, every keras/src/applications/<name>.py there is imported as
# keras.src.applications.<name>, and keras/applications/__init__.py there is run in real Keras'
# keras.applications namespace (the public names it adds), so the file runs as it would with that
# package installed. test/unit/analysis/keras-applications.test.ts reads them with the same folder.
SITES = {"app_source/model.py": "app_source/site"}
# --input-shape: the file run with every keras.Input(shape=…) replaced by this shape, written to
# <file>.input-shape.json for test/unit/analysis/keras-applications.test.ts.
OVERRIDES = {"applications_style.py": [48, 40, 3]}


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode("ascii")


def dims(shape):
    return [None if d is None else int(d) for d in shape]


def rng_for(key):
    return np.random.default_rng(zlib.crc32(key.encode()))


def weight_range(name):
    last = name.split("/")[-1]
    if last in ("gamma", "moving_variance", "variance"):
        return 0.5, 1.5
    if last == "alpha":
        return 0.1, 0.4
    return -0.5, 0.5


def install_site(site):
    import importlib.util

    import keras.src.applications as src_apps

    apps = os.path.join(site, "keras", "src", "applications")
    for f in sorted(os.listdir(apps)):
        if not f.endswith(".py") or f == "__init__.py":
            continue
        name = "keras.src.applications." + f[:-3]
        spec = importlib.util.spec_from_file_location(name, os.path.join(apps, f))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        setattr(src_apps, f[:-3], module)
    api = os.path.join(site, "keras", "applications", "__init__.py")
    with open(api) as fh:
        exec(compile(fh.read(), api, "exec"), keras.applications.__dict__)


def models_in(path, shape=None):
    keras.utils.clear_session()
    rel = os.path.relpath(path, ROOT)
    if rel in SITES:
        install_site(os.path.join(ROOT, SITES[rel]))
    real_input = keras.Input
    if shape is not None:

        def forced(*args, **kwargs):
            kwargs.pop("shape", None)
            return real_input(shape=tuple(shape), **kwargs)

        keras.Input = keras.layers.Input = forced
        import keras.src.layers as src_layers

        src_layers.Input = forced
    scope = {"__name__": "__fixture__"}
    try:
        with open(path) as f:
            exec(compile(f.read(), path, "exec"), scope)
    finally:
        keras.Input = keras.layers.Input = real_input
        import keras.src.layers as src_layers

        src_layers.Input = real_input
    found = [(k, v) for k, v in scope.items() if isinstance(v, keras.Model)]
    # a model used as a layer of another is part of that one, not a model of its own
    inner = {id(layer) for _, v in found for layer in v.layers if isinstance(layer, keras.Model)}
    return [(k, v) for k, v in found if id(v) not in inner]


def trainable_count(layer):
    return int(sum(np.prod(w.shape) for w in layer.trainable_weights))


def rows_of(m):
    rows = []
    for layer in m.layers:
        row = {
            "name": layer.name,
            "type": type(layer).__name__,
            "outputShape": dims(layer.output.shape)[1:],
            "params": int(layer.count_params()),
            "trainable": trainable_count(layer),
        }
        if isinstance(layer, keras.Model):
            row["layers"] = rows_of(layer)
        rows.append(row)
    return rows


def describe(var, m):
    rows = rows_of(m)
    return {
        "name": var,
        "framework": "keras",
        "inputShape": dims(m.inputs[0].shape)[1:],
        "layers": rows,
        "totalParams": int(m.count_params()),
        "trainableParams": int(sum(np.prod(w.shape) for w in m.trainable_weights)),
    }


def all_layers(m):
    for layer in m.layers:
        if isinstance(layer, keras.Model):
            yield from all_layers(layer)
        else:
            yield layer


def values(var, m):
    weights = {}
    for layer in all_layers(m):
        new = []
        for w in layer.weights:
            lo, hi = weight_range(w.path)
            a = rng_for(f"{layer.name}/{w.name}").uniform(lo, hi, size=tuple(w.shape)).astype("float32")
            new.append(a)
            weights[f"{layer.name}/{w.name}"] = {"shape": list(a.shape), "data": b64(a)}
        layer.set_weights(new)
        # as loading a weight file does (load_own_variables): Normalization reads its weights then
        layer_finalize = getattr(layer, "finalize_state", None)
        if layer_finalize is not None:
            layer_finalize()
    shape = [2] + dims(m.inputs[0].shape)[1:]
    x = rng_for(var + "/input").uniform(-1, 1, size=shape).astype("float32") * 2
    outputs = {}
    # every layer of the (possibly nested) model, run one by one on the flattened chain
    flat = list(all_layers(m))
    probe = keras.Model(m.inputs, [m.outputs[0]])
    y = x
    for layer in flat:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        y = np.asarray(layer(y, training=False))
        outputs[layer.name] = {"shape": list(y.shape), "data": b64(y)}
    final = np.asarray(probe(x, training=False))
    assert np.allclose(final, y, rtol=1e-4, atol=1e-5), "the layer chain must equal the model"
    return {"name": var, "input": {"shape": shape, "data": b64(x)}, "weights": weights, "outputs": outputs}


def main():
    for f in FIXTURES:
        path = os.path.join(ROOT, f)
        found = models_in(path)
        out = {
            "file": f,
            "generator": "scripts/gen-keras-models.py",
            "oracle": f"keras {keras.__version__}",
            "models": [describe(k, v) for k, v in found],
        }
        with open(path + ".oracle.json", "w") as fh:
            json.dump(out, fh, indent=1)
            fh.write("\n")
        if f in VALUES:
            found = models_in(path)
            vals = {"file": f, "generator": "scripts/gen-keras-models.py", "oracle": f"keras {keras.__version__}"}
            vals["models"] = [values(k, v) for k, v in found]
            with open(path + ".values.json", "w") as fh:
                json.dump(vals, fh)
                fh.write("\n")
        if f in OVERRIDES:
            shape = OVERRIDES[f]
            found = models_in(path, shape)
            out = {"file": f, "inputShapeOption": shape, "generator": "scripts/gen-keras-models.py"}
            out["oracle"] = f"keras {keras.__version__}"
            out["models"] = [describe(k, v) for k, v in found]
            with open(path + ".input-shape.json", "w") as fh:
                json.dump(out, fh, indent=1)
                fh.write("\n")
        print(f"{f}: {len(found)} model(s)", file=sys.stderr)


if __name__ == "__main__":
    main()
