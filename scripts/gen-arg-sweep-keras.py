"""
The Keras argument sweep: every Keras layer ConvLens models, each constructor argument varied over
its legal values and its default, each case written three ways (positional, keyword, omitted
defaults), run by real Keras 3. Writes test/fixtures/sweep/keras.json, read by
test/unit/sweep/arg-sweep.test.ts.

Run with Keras 3:  /tmp/kvenv/bin/python scripts/gen-arg-sweep-keras.py

As scripts/gen-arg-sweep-torch.py: inputs and weights come from the seeded generator `fill`
(repeated in the test), so the file holds only what Keras computed: per case the source line, the
input shape, the weights Keras made (name → shape and value range), the parameter counts (total,
trainable, non-trainable) and the output (float32 values, or summary statistics plus every 7th
value), or the error Keras raised. Signatures and defaults are read from Keras (inspect.signature).
"""

import base64
import inspect
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "sweep", "keras.json")
FULL_LIMIT = 1024


def fnv(s):
    h = 0x811C9DC5
    for ch in s.encode():
        h ^= ch
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def fill(n, seed, lo, hi):
    """n float32 values in [lo, hi): a 32-bit LCG, the same in the test."""
    s = seed & 0xFFFFFFFF
    out = np.empty(n, dtype=np.float32)
    for i in range(n):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = lo + (hi - lo) * ((s >> 8) / 16777216.0)
    return out


def value_range(name):
    """Scales and variances in [0.5, 1.5); PReLU slopes in [0.1, 0.4); everything else in [-0.5, 0.5)."""
    if name in ("gamma", "moving_variance", "variance"):
        return 0.5, 1.5
    if name == "alpha":
        return 0.1, 0.4
    return -0.5, 0.5


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode("ascii")


def fmt(v):
    if isinstance(v, tuple):
        return "(" + ", ".join(fmt(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, list):
        return "[" + ", ".join(fmt(x) for x in v) + "]"
    return repr(v)


def signature(cls):
    params = []
    for p in inspect.signature(cls.__init__).parameters.values():
        if p.name == "self" or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        params.append((p.name, p.default, p.kind == p.KEYWORD_ONLY))
    return params


def styles(cls_name, args):
    """The three spellings of one configuration: keyword, positional (defaults written out), omitted."""
    cls = getattr(layers, cls_name)
    sig = signature(cls)
    names = [n for n, _, _ in sig]
    unknown = [k for k in args if k not in names]
    defaults = {n: d for n, d, _ in sig}
    req = [n for n, d, _ in sig if d is inspect.Parameter.empty]
    out = []
    kw = ", ".join(f"{k}={fmt(v)}" for k, v in args.items())
    out.append(("keyword", f"layers.{cls_name}({kw})"))
    if unknown:
        return out
    positional = [n for n, _, ko in sig if not ko]
    last = max([positional.index(k) for k in args if k in positional] + [-1])
    pos = [fmt(args[n]) if n in args else fmt(defaults[n]) for n in positional[: last + 1]]
    rest = [f"{k}={fmt(v)}" for k, v in args.items() if k not in positional]
    out.append(("positional", f"layers.{cls_name}({', '.join(pos + rest)})"))
    om = [fmt(args[n]) for n in req if n in args]
    om += [
        f"{k}={fmt(v)}"
        for k, v in args.items()
        if k not in req and not (type(v) is type(defaults[k]) and v == defaults[k])
    ]
    out.append(("omitted", f"layers.{cls_name}({', '.join(om)})"))
    return out


def vary(base, **options):
    cfgs = [dict(base)]
    for k, values in options.items():
        for v in values:
            c = dict(base)
            c[k] = v
            cfgs.append(c)
    return cfgs


IN1 = [1, 10, 4]
IN2 = [1, 8, 8, 4]
POOL2 = [1, 9, 9, 3]
POOL1 = [1, 11, 3]
ACTS = [
    "relu", "sigmoid", "tanh", "softmax", "softplus", "softsign", "selu", "elu", "gelu", "silu", "swish",
    "hard_sigmoid", "hard_silu", "hard_swish", "linear", "leaky_relu", "relu6", "mish", "log_softmax",
    "exponential", None,
]


def families():
    F = []

    def add(family, cls, cfgs, shape):
        for c in cfgs:
            F.append((family, cls, c, shape))

    for cls, shape in (("Conv2D", IN2), ("Conv1D", IN1)):
        two = cls == "Conv2D"
        base = {"filters": 6, "kernel_size": 3}
        add(
            "conv",
            cls,
            vary(
                base,
                kernel_size=[1, 2, 4] + ([(2, 3)] if two else [(5,)]),
                strides=[1, 2, 3] + ([(1, 2)] if two else []),
                padding=["valid", "same", "causal", "SAME"],
                dilation_rate=[1, 2] + ([(2, 1)] if two else [3]),
                groups=[1, 2, 4],
                activation=["relu", "sigmoid", "tanh", "gelu", None],
                use_bias=[True, False],
                data_format=["channels_last", "channels_first"],
            ),
            shape,
        )
        add(
            "conv",
            cls,
            [
                {**base, "strides": 2, "padding": "same"},
                {**base, "kernel_size": 4, "strides": 3, "padding": "same"},
                {**base, "dilation_rate": 2, "padding": "same"},
                {**base, "filters": 8, "groups": 4, "strides": 2},
                {**base, "filters": 8, "groups": 3},
                {**base, "groups": 4},
                {**base, "kernel_size": 9},
                {**base, "foo": 1},
            ]
            + (
                []
                if two
                else [
                    {**base, "padding": "causal", "dilation_rate": 2},
                    {**base, "padding": "causal", "strides": 2},
                    {**base, "kernel_size": 4, "padding": "causal", "dilation_rate": 3},
                ]
            ),
            shape,
        )
    for cls, shape in (("Conv2DTranspose", IN2), ("Conv1DTranspose", IN1)):
        two = cls == "Conv2DTranspose"
        base = {"filters": 6, "kernel_size": 3}
        add(
            "conv",
            cls,
            vary(
                base,
                kernel_size=[1, 2, 4] + ([(2, 3)] if two else []),
                strides=[1, 2, 3] + ([(1, 2)] if two else []),
                padding=["valid", "same"],
                dilation_rate=[1, 2],
                activation=["relu", None],
                use_bias=[True, False],
            ),
            shape,
        )
        add(
            "conv",
            cls,
            [
                {**base, "strides": 2, "padding": "same"},
                {**base, "strides": 2, "output_padding": 1},
                {**base, "strides": 2, "padding": "same", "output_padding": 1},
                {**base, "kernel_size": 4, "strides": 2, "padding": "same", "output_padding": 1},
                {**base, "strides": 3, "padding": "same", "output_padding": 2},
                {**base, "kernel_size": 4, "strides": 2, "padding": "same"},
            ],
            shape,
        )
    for cls, shape in (("DepthwiseConv2D", IN2), ("DepthwiseConv1D", IN1)):
        base = {"kernel_size": 3}
        add(
            "conv",
            cls,
            vary(
                base,
                strides=[1, 2],
                padding=["valid", "same"],
                depth_multiplier=[1, 2, 3],
                dilation_rate=[1, 2],
                activation=["relu", None],
                use_bias=[True, False],
            ),
            shape,
        )
    for cls, shape in (("SeparableConv2D", IN2), ("SeparableConv1D", IN1)):
        base = {"filters": 6, "kernel_size": 3}
        add(
            "conv",
            cls,
            vary(
                base,
                strides=[1, 2],
                padding=["valid", "same"],
                dilation_rate=[1, 2],
                depth_multiplier=[1, 2],
                activation=["relu", None],
                use_bias=[True, False],
            ),
            shape,
        )

    for cls, shape in (
        ("MaxPooling2D", POOL2),
        ("AveragePooling2D", POOL2),
        ("MaxPooling1D", POOL1),
        ("AveragePooling1D", POOL1),
    ):
        two = "2D" in cls
        base = {"pool_size": 2}
        add(
            "pool",
            cls,
            vary(
                base,
                pool_size=[3, 4] + ([(2, 3)] if two else []),
                strides=[None, 1, 2, 3] + ([(1, 2)] if two else []),
                padding=["valid", "same", "causal"],
                data_format=["channels_last", "channels_first"],
            ),
            shape,
        )
        add(
            "pool",
            cls,
            [{"pool_size": 3, "strides": 2, "padding": "same"}, {"pool_size": 2, "strides": 1, "padding": "same"}],
            shape,
        )
        if "Max" in cls:  # Keras 3's AveragePooling takes pool_size without a default
            add("pool", cls, [{}], shape)
    for cls, shape in (
        ("GlobalMaxPooling2D", POOL2),
        ("GlobalAveragePooling2D", POOL2),
        ("GlobalMaxPooling1D", POOL1),
        ("GlobalAveragePooling1D", POOL1),
    ):
        add("pool", cls, vary({}, keepdims=[False, True], data_format=["channels_last", "channels_first"]), shape)

    add("dense", "Dense", vary({"units": 3}, activation=["relu", "softmax", None], use_bias=[True, False]), [1, 5])
    add("dense", "Dense", [{"units": 3}], [1, 2, 5])
    add("reshape", "Flatten", vary({}, data_format=["channels_last", "channels_first"]), [1, 3, 4, 2])
    add("reshape", "Reshape", [{"target_shape": (6, 4)}, {"target_shape": (-1, 2)}, {"target_shape": (24,)}], [1, 3, 4, 2])
    for cls in ("Dropout", "SpatialDropout2D", "GaussianDropout"):
        add("dropout", cls, [{"rate": 0.5}, {"rate": 0.1}], IN2)
    add("dropout", "SpatialDropout1D", [{"rate": 0.5}], IN1)
    add("dropout", "GaussianNoise", [{"stddev": 0.1}], IN2)

    add(
        "norm",
        "BatchNormalization",
        vary({}, momentum=[0.99, 0.5], epsilon=[1e-3, 1e-5], center=[True, False], scale=[True, False]),
        [2, 5, 5, 4],
    )
    add("norm", "BatchNormalization", [{"axis": -1}, {"axis": 3}, {"axis": 1}], [2, 5, 5, 4])
    add(
        "norm",
        "LayerNormalization",
        vary({}, epsilon=[1e-3, 1e-5], center=[True, False], scale=[True, False], axis=[-1, [1, 2], [1, 2, 3]]),
        [1, 3, 4, 5],
    )
    add(
        "norm",
        "GroupNormalization",
        vary({"groups": 2}, groups=[1, 4], epsilon=[1e-3, 1e-5], center=[True, False], scale=[True, False]),
        IN2,
    )
    add("norm", "Normalization", [{"mean": 0.5, "variance": 2.0}, {"mean": [0.1, 0.2, 0.3, 0.4], "variance": [1.0, 2.0, 0.5, 4.0]}, {"mean": 0.5, "variance": 2.0, "invert": True}], IN2)

    add("activation", "Activation", [{"activation": a} for a in ACTS], [1, 4, 3, 3])
    add(
        "activation",
        "ReLU",
        vary({}, max_value=[None, 1.0], negative_slope=[0.0, 0.2], threshold=[0.0, 0.5]),
        [1, 4, 3, 3],
    )
    add("activation", "ReLU", [{"max_value": 6.0, "negative_slope": 0.1, "threshold": -0.5}], [1, 4, 3, 3])
    add("activation", "LeakyReLU", vary({}, negative_slope=[0.3, 0.1]) + [{"alpha": 0.1}], [1, 4, 3, 3])
    add("activation", "ELU", vary({}, alpha=[1.0, 0.5]), [1, 4, 3, 3])
    add("activation", "Softmax", vary({}, axis=[-1, 1, 2]), [1, 4, 3, 3])
    add("activation", "PReLU", vary({}, shared_axes=[None, [1, 2], [3]]), [1, 4, 3, 3])
    add("activation", "Rescaling", [{"scale": 0.5}, {"scale": 2.0, "offset": -1.0}, {"scale": 1 / 255}], IN2)

    add("padding", "ZeroPadding2D", [{"padding": p} for p in (1, 2, (1, 2), ((1, 0), (2, 3)))] + [{}], [1, 4, 5, 2])
    add("padding", "ZeroPadding1D", [{"padding": p} for p in (1, 3, (2, 0))] + [{}], [1, 6, 2])
    add("padding", "Cropping2D", [{"cropping": p} for p in (1, (1, 0), ((1, 0), (0, 2)))] + [{}], [1, 5, 6, 2])
    add("padding", "Cropping1D", [{"cropping": p} for p in (1, (2, 0))] + [{}], [1, 6, 2])

    add("upsampling", "UpSampling2D", vary({}, size=[2, 3, (2, 3)], interpolation=["nearest", "bilinear", "bicubic"]), [1, 3, 4, 2])
    add("upsampling", "UpSampling2D", [{"size": (2, 3), "interpolation": "bilinear"}], [1, 3, 4, 2])
    add("upsampling", "UpSampling1D", vary({}, size=[2, 3]), [1, 5, 2])
    add(
        "upsampling",
        "Resizing",
        vary({"height": 6, "width": 9}, interpolation=["bilinear", "nearest"]),
        [1, 3, 4, 2],
    )
    add("upsampling", "Resizing", [{"height": 5, "width": 7, "crop_to_aspect_ratio": True}], [1, 3, 4, 2])
    return F


def run(src, shape):
    layer = eval(src, {"layers": layers, "keras": keras})
    n = int(np.prod(shape))
    x = fill(n, fnv("input"), -2.0, 2.0).reshape(shape)
    layer.build(tuple(shape))
    new = []
    ws = {}
    for w in layer.weights:
        lo, hi = value_range(w.name)
        new.append(fill(int(np.prod(w.shape)), fnv(w.name), lo, hi).reshape(tuple(w.shape)))
        ws[w.name] = [list(w.shape), lo, hi]
    if new:
        layer.set_weights(new)
    finalize = getattr(layer, "finalize_state", None)
    if finalize is not None:
        finalize()
    y = np.asarray(layer(x, training=False))
    total = int(layer.count_params()) if layer.weights else 0
    trainable = int(sum(np.prod(w.shape) for w in layer.trainable_weights))
    non = int(sum(np.prod(w.shape) for w in layer.non_trainable_weights))
    return y, ws, total, trainable, non


def output_record(a):
    a = a.astype(np.float32)
    flat = a.reshape(-1)
    rec = {"shape": list(a.shape)}
    if flat.size <= FULL_LIMIT:
        rec["data"] = b64(flat)
    else:
        rec["stats"] = {
            "sum": float(flat.astype(np.float64).sum()),
            "absSum": float(np.abs(flat.astype(np.float64)).sum()),
            "min": float(flat.min()),
            "max": float(flat.max()),
        }
        rec["every7"] = b64(flat[::7])
    return rec


def main():
    cases = []
    seen = set()
    for family, cls, cfg, shape in families():
        for style, src in styles(cls, cfg):
            key = (src, tuple(shape))
            if key in seen:
                continue
            seen.add(key)
            case = {"family": family, "layer": cls, "style": style, "source": src, "input": shape}
            try:
                y, ws, total, trainable, non = run(src, shape)
            except Exception as e:  # Keras refuses the configuration (or the input)
                case["error"] = f"{type(e).__name__}: {str(e).strip().splitlines()[0][:300]}"
                cases.append(case)
                continue
            case.update(
                {
                    "params": ws,
                    "counts": {"total": total, "trainable": trainable, "nonTrainable": non},
                    "output": output_record(y),
                }
            )
            cases.append(case)
    out = {
        "generator": "scripts/gen-arg-sweep-keras.py",
        "keras": keras.__version__,
        "fill": "LCG s = s*1664525 + 1013904223 mod 2^32, value lo + (hi-lo)*(s>>8)/2^24; seed fnv1a(name)",
        "cases": cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    by = {}
    for c in cases:
        by[c["family"]] = by.get(c["family"], 0) + 1
    print(f"{len(cases)} cases ({sum('error' in c for c in cases)} refused by Keras): {by}", file=sys.stderr)


if __name__ == "__main__":
    main()
