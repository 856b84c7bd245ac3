"""
The PyTorch argument sweep: every torch.nn layer ConvLens models, each constructor argument varied
over its legal values and its default, each case written three ways (positional, keyword, omitted
defaults), run by real PyTorch. Writes test/fixtures/sweep/torch.json, read by
test/unit/sweep/arg-sweep.test.ts.

Run with a PyTorch 2.x interpreter:  /tmp/kvenv-corpus/bin/python scripts/gen-arg-sweep-torch.py

Inputs, weights and running statistics are not stored: they come from a small seeded generator
(`fill` below, repeated in the test) so the file holds only what PyTorch computed. Each case records
the source line, the input shape, the parameter and buffer tensors PyTorch made (name → shape),
the parameter counts (total, trainable; floating-point buffers as non-trainable) and the output
(shape and float32 values; larger outputs as summary statistics plus every 7th value), or the
error PyTorch raised. Signatures and defaults are read from PyTorch itself (inspect.signature).
"""

import base64
import inspect
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "sweep", "torch.json")
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


def value_range(m, name):
    """Scales (norm weights) and variances in [0.5, 1.5); everything else in [-0.5, 0.5)."""
    norm = isinstance(m, (nn.modules.batchnorm._NormBase, nn.GroupNorm, nn.LayerNorm))
    if name == "running_var" or (norm and name == "weight"):
        return 0.5, 1.5
    return -0.5, 0.5


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode("ascii")


def fmt(v):
    if isinstance(v, str):
        return repr(v)
    if isinstance(v, bool) or v is None:
        return repr(v)
    if isinstance(v, float):
        return repr(v)
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
        if p.name in ("device", "dtype"):
            continue
        params.append((p.name, p.default, p.kind == p.KEYWORD_ONLY))
    return params


def styles(cls_name, args):
    """The three spellings of one configuration: keyword, positional (defaults written out), omitted."""
    cls = getattr(nn, cls_name)
    sig = signature(cls)
    names = [n for n, _, _ in sig]
    unknown = [k for k in args if k not in names]
    req = [n for n, d, _ in sig if d is inspect.Parameter.empty]
    given = {k: v for k, v in args.items() if k in names}
    out = []
    # keyword: every argument given as keyword
    kw = ", ".join(f"{k}={fmt(v)}" for k, v in args.items())
    out.append(("keyword", f"nn.{cls_name}({kw})"))
    if unknown:
        return out
    # positional: every positional parameter up to the last one given, defaults written out
    positional = [n for n, _, ko in sig if not ko]
    last = max([positional.index(k) for k in given if k in positional] + [-1])
    pos = []
    for n in positional[: last + 1]:
        d = dict((a, b) for a, b, _ in sig)[n]
        pos.append(fmt(given[n]) if n in given else fmt(d))
    rest = [f"{k}={fmt(v)}" for k, v in given.items() if k not in positional]
    out.append(("positional", f"nn.{cls_name}({', '.join(pos + rest)})"))
    # omitted: required positionally, the rest as keywords only when not the default
    defaults = {n: d for n, d, _ in sig}
    om = [fmt(given[n]) for n in req if n in given]
    om += [
        f"{k}={fmt(v)}"
        for k, v in given.items()
        if k not in req and not (type(v) is type(defaults[k]) and v == defaults[k])
    ]
    out.append(("omitted", f"nn.{cls_name}({', '.join(om)})"))
    return out


def vary(base, **options):
    """The base configuration, then each argument alone over its values."""
    cfgs = [dict(base)]
    for k, values in options.items():
        for v in values:
            c = dict(base)
            c[k] = v
            cfgs.append(c)
    return cfgs


IN1 = [1, 4, 10]
IN2 = [1, 4, 8, 8]
POOL2 = [1, 3, 9, 9]
POOL1 = [1, 3, 11]


def families():
    F = []

    def add(family, cls, cfgs, shape):
        for c in cfgs:
            F.append((family, cls, c, shape))

    # -- conv ---------------------------------------------------------------------------------
    for cls, shape in (("Conv2d", IN2), ("Conv1d", IN1)):
        two = cls == "Conv2d"
        base = {"in_channels": 4, "out_channels": 6, "kernel_size": 3}
        add(
            "conv",
            cls,
            vary(
                base,
                kernel_size=[1, 2, 5] + ([(2, 3), (3, 1)] if two else [(4,)]),
                stride=[1, 2, 3] + ([(1, 2), (2, 1)] if two else [(2,)]),
                padding=[0, 1, 2, "same", "valid"] + ([(1, 2), (0, 1)] if two else [(1,)]),
                dilation=[1, 2] + ([(2, 1), (1, 3)] if two else [(3,)]),
                bias=[True, False],
                padding_mode=["zeros", "reflect", "replicate", "circular"],
            ),
            shape,
        )
        more = [
            {**base, "out_channels": 8, "groups": 2},
            {**base, "out_channels": 8, "groups": 4},
            {**base, "out_channels": 4, "groups": 4, "bias": False},
            {**base, "out_channels": 6, "groups": 2, "stride": 2, "padding": 1},
            {**base, "kernel_size": 4, "padding": "same"},
            {**base, "kernel_size": 3, "padding": "same", "dilation": 2},
            {**base, "stride": 2, "padding": 1, "dilation": 2},
            {**base, "padding": 1, "padding_mode": "reflect"},
            {**base, "padding": 1, "padding_mode": "replicate"},
            {**base, "padding": 2, "padding_mode": "circular"},
            {**base, "padding": "same", "padding_mode": "reflect"},
            {**base, "padding": "same", "stride": 2},
            {**base, "out_channels": 6, "groups": 4},
            {**base, "foo": 1},
        ]
        add("conv", cls, more, shape)
    for cls, shape in (("ConvTranspose2d", IN2), ("ConvTranspose1d", IN1)):
        two = cls == "ConvTranspose2d"
        base = {"in_channels": 4, "out_channels": 6, "kernel_size": 3}
        add(
            "conv",
            cls,
            vary(
                base,
                kernel_size=[1, 2, 4] + ([(2, 3)] if two else []),
                stride=[1, 2, 3] + ([(1, 2)] if two else []),
                padding=[0, 1, 2] + ([(1, 0)] if two else []),
                dilation=[1, 2] + ([(2, 1)] if two else []),
                groups=[1, 2],
                bias=[True, False],
            ),
            shape,
        )
        add(
            "conv",
            cls,
            [
                {**base, "stride": 2, "output_padding": 1},
                {**base, "stride": 3, "output_padding": 2, "padding": 1},
                {**base, "stride": 2, "output_padding": 1, "dilation": 2},
                {**base, "out_channels": 8, "groups": 4, "stride": 2},
                {**base, "padding_mode": "zeros"},
            ],
            shape,
        )

    # -- pooling ------------------------------------------------------------------------------
    for cls, shape in (("MaxPool2d", POOL2), ("MaxPool1d", POOL1)):
        two = cls == "MaxPool2d"
        base = {"kernel_size": 2}
        add(
            "pool",
            cls,
            vary(
                base,
                kernel_size=[3, 4] + ([(2, 3)] if two else []),
                stride=[None, 1, 2, 3] + ([(1, 2)] if two else []),
                padding=[0, 1] + ([(1, 0)] if two else []),
                dilation=[1, 2, 3] + ([(2, 1)] if two else []),
                ceil_mode=[False, True],
                return_indices=[False, True],
            ),
            shape,
        )
        add(
            "pool",
            cls,
            [
                {"kernel_size": 3, "stride": 2, "ceil_mode": True},
                {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True},
                {"kernel_size": 3, "stride": 2, "dilation": 2},
                {"kernel_size": 3, "stride": 1, "padding": 1, "dilation": 2},
                {"kernel_size": 2, "stride": 2, "dilation": 2, "ceil_mode": True},
            ],
            shape,
        )
    for cls, shape in (("AvgPool2d", POOL2), ("AvgPool1d", POOL1)):
        two = cls == "AvgPool2d"
        base = {"kernel_size": 2}
        add(
            "pool",
            cls,
            vary(
                base,
                kernel_size=[3, 4] + ([(2, 3)] if two else []),
                stride=[None, 1, 2, 3] + ([(1, 2)] if two else []),
                padding=[0, 1] + ([(1, 0)] if two else []),
                ceil_mode=[False, True],
                count_include_pad=[True, False],
                **({"divisor_override": [None, 3]} if two else {}),
            ),
            shape,
        )
        add(
            "pool",
            cls,
            [
                {"kernel_size": 3, "stride": 2, "padding": 1},
                {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False},
                {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True},
                {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": False},
                {"kernel_size": 2, "stride": 2, "ceil_mode": True},
                {"kernel_size": 3, "padding": 2},
            ],
            shape,
        )
    for cls, shape, outs in (
        ("AdaptiveAvgPool2d", POOL2, [1, 3, 4, (2, 3), (None, 2), (5, None)]),
        ("AdaptiveMaxPool2d", POOL2, [1, 3, 4, (2, 3), (None, 2)]),
        ("AdaptiveAvgPool1d", POOL1, [1, 3, 4]),
        ("AdaptiveMaxPool1d", POOL1, [1, 3, 4]),
    ):
        add("pool", cls, [{"output_size": o} for o in outs], shape)
        if "Max" in cls:
            add("pool", cls, [{"output_size": 2, "return_indices": True}], shape)

    # -- dense, flatten, dropout --------------------------------------------------------------
    add("dense", "Linear", vary({"in_features": 5, "out_features": 3}, bias=[True, False]), [1, 5])
    add("dense", "Linear", [{"in_features": 5, "out_features": 3}], [1, 2, 5])
    add("dense", "LazyLinear", vary({"out_features": 3}, bias=[True, False]), [1, 5])
    add(
        "reshape",
        "Flatten",
        vary({}, start_dim=[1, 2, 0], end_dim=[-1, -2, 2]),
        [1, 3, 4, 4],
    )
    for cls in ("Dropout", "Dropout1d", "Dropout2d", "AlphaDropout"):
        shape = IN1 if cls == "Dropout1d" else IN2
        add("dropout", cls, vary({}, p=[0.5, 0.2], inplace=[False, True]), shape)
    add("dropout", "Identity", [{}], IN2)

    # -- normalization ------------------------------------------------------------------------
    for cls, shape in (("BatchNorm2d", [2, 4, 5, 5]), ("BatchNorm1d", [2, 4, 6]), ("BatchNorm1d", [3, 4])):
        add(
            "norm",
            cls,
            vary(
                {"num_features": 4},
                eps=[1e-5, 1e-3],
                momentum=[0.1, 0.5, None],
                affine=[True, False],
                track_running_stats=[True, False],
            ),
            shape,
        )
        add("norm", cls, [{"num_features": 4, "affine": False, "track_running_stats": False}], shape)
    add(
        "norm",
        "LayerNorm",
        vary({"normalized_shape": 8}, eps=[1e-5, 1e-2], elementwise_affine=[True, False], bias=[True, False]),
        [1, 3, 8],
    )
    add("norm", "LayerNorm", [{"normalized_shape": (4, 5)}, {"normalized_shape": [3, 4, 5]}], [1, 3, 4, 5])
    add(
        "norm",
        "GroupNorm",
        vary({"num_groups": 2, "num_channels": 4}, num_groups=[1, 4], eps=[1e-5, 1e-2], affine=[True, False]),
        IN2,
    )
    add("norm", "GroupNorm", [{"num_groups": 3, "num_channels": 4}], IN2)
    for cls, shape in (("InstanceNorm2d", IN2), ("InstanceNorm1d", IN1)):
        add(
            "norm",
            cls,
            vary(
                {"num_features": 4},
                eps=[1e-5, 1e-2],
                momentum=[0.1, 0.5],
                affine=[False, True],
                track_running_stats=[False, True],
            ),
            shape,
        )
    add("norm", "LocalResponseNorm", vary({"size": 2}, alpha=[1e-4, 0.5], beta=[0.75], k=[1.0, 2.0]), IN2)

    # -- activations --------------------------------------------------------------------------
    acts = [
        ("ReLU", {"inplace": [False, True]}),
        ("ReLU6", {"inplace": [False, True]}),
        ("LeakyReLU", {"negative_slope": [0.01, 0.2, 1.5], "inplace": [True]}),
        ("ELU", {"alpha": [1.0, 0.5], "inplace": [True]}),
        ("SELU", {"inplace": [True]}),
        ("GELU", {"approximate": ["none", "tanh"]}),
        ("Sigmoid", {}),
        ("Hardsigmoid", {"inplace": [True]}),
        ("Hardswish", {"inplace": [True]}),
        ("Tanh", {}),
        ("Softmax", {"dim": [1, -1, 2, 0]}),
        ("LogSoftmax", {"dim": [1, -1, 2]}),
        ("Softplus", {"beta": [1.0, 2.0], "threshold": [20.0, 0.5]}),
        ("Softsign", {}),
        ("SiLU", {"inplace": [True]}),
        ("Mish", {"inplace": [True]}),
        ("Hardtanh", {"min_val": [-1.0, -0.5], "max_val": [1.0, 0.25], "inplace": [True]}),
        ("PReLU", {"num_parameters": [1, 4], "init": [0.25, 0.1]}),
    ]
    for cls, opts in acts:
        add("activation", cls, vary({}, **opts), [1, 4, 3, 3])

    # -- upsampling ---------------------------------------------------------------------------
    up = [1, 3, 4, 5]
    for mode in ("nearest", "bilinear"):
        base = {"scale_factor": 2, "mode": mode}
        cfgs = vary(base, scale_factor=[3, (2, 3), 1.5, 2.0])
        cfgs += [{"size": 7, "mode": mode}, {"size": (6, 9), "mode": mode}]
        if mode == "bilinear":
            cfgs += [
                {"scale_factor": 2, "mode": mode, "align_corners": True},
                {"scale_factor": 2, "mode": mode, "align_corners": False},
                {"size": (6, 9), "mode": mode, "align_corners": True},
                {"scale_factor": 1.5, "mode": mode, "align_corners": True},
            ]
        cfgs += [{"scale_factor": 1.5, "mode": mode, "recompute_scale_factor": True}]
        add("upsampling", "Upsample", cfgs, up)
    add("upsampling", "Upsample", [{"scale_factor": 2}, {"size": 7}, {"scale_factor": 2, "mode": "bicubic"}], up)
    add("upsampling", "UpsamplingNearest2d", [{"scale_factor": 2}, {"size": (6, 7)}], up)
    add("upsampling", "UpsamplingBilinear2d", [{"scale_factor": 2}, {"size": (6, 7)}], up)
    add("upsampling", "PixelShuffle", [{"upscale_factor": 2}], [1, 8, 3, 3])
    add("upsampling", "PixelUnshuffle", [{"downscale_factor": 2}, {"downscale_factor": 3}], [1, 2, 6, 6])

    # -- padding ------------------------------------------------------------------------------
    pad2 = [1, 2, (1, 2, 0, 3), (0, 0, 2, 1)]
    pad1 = [1, 3, (2, 0)]
    add("padding", "ZeroPad2d", [{"padding": p} for p in pad2], [1, 2, 4, 5])
    add("padding", "ConstantPad2d", [{"padding": p, "value": v} for p in pad2 for v in (0.0, 1.5)], [1, 2, 4, 5])
    add("padding", "ConstantPad1d", [{"padding": p, "value": v} for p in pad1 for v in (0.0, -2.0)], [1, 2, 6])
    add("padding", "ReflectionPad2d", [{"padding": p} for p in pad2 if p != 3], [1, 2, 4, 5])
    add("padding", "ReflectionPad1d", [{"padding": p} for p in pad1], [1, 2, 6])
    add("padding", "ReplicationPad2d", [{"padding": p} for p in pad2], [1, 2, 4, 5])
    add("padding", "ReplicationPad1d", [{"padding": p} for p in pad1], [1, 2, 6])
    return F


# torch.nn.functional: signatures after `input` (several are C builtins without one to inspect)
FUNCTIONAL = {
    "max_pool2d": [("kernel_size", None), ("stride", None), ("padding", 0), ("dilation", 1), ("ceil_mode", False), ("return_indices", False)],
    "max_pool1d": [("kernel_size", None), ("stride", None), ("padding", 0), ("dilation", 1), ("ceil_mode", False), ("return_indices", False)],
    "avg_pool2d": [("kernel_size", None), ("stride", None), ("padding", 0), ("ceil_mode", False), ("count_include_pad", True), ("divisor_override", None)],
    "avg_pool1d": [("kernel_size", None), ("stride", None), ("padding", 0), ("ceil_mode", False), ("count_include_pad", True)],
    "adaptive_avg_pool2d": [("output_size", None)],
    "adaptive_max_pool2d": [("output_size", None)],
    "adaptive_avg_pool1d": [("output_size", None)],
    "interpolate": [("size", None), ("scale_factor", None), ("mode", "nearest"), ("align_corners", None), ("recompute_scale_factor", None), ("antialias", False)],
    "pad": [("pad", None), ("mode", "constant"), ("value", None)],
    "softmax": [("dim", None)],
    "log_softmax": [("dim", None)],
    "leaky_relu": [("negative_slope", 0.01), ("inplace", False)],
    "elu": [("alpha", 1.0), ("inplace", False)],
    "gelu": [("approximate", "none")],
    "softplus": [("beta", 1.0), ("threshold", 20.0)],
    "hardtanh": [("min_val", -1.0), ("max_val", 1.0), ("inplace", False)],
    "relu": [("inplace", False)],
    "pixel_shuffle": [("upscale_factor", None)],
    "pixel_unshuffle": [("downscale_factor", None)],
}


def functional_styles(fn, args):
    sig = FUNCTIONAL[fn]
    names = [n for n, _ in sig]
    defaults = dict(sig)
    required = [n for n, d in sig if d is None and n in ("kernel_size", "output_size", "pad", "upscale_factor", "downscale_factor")]
    kw = ", ".join(["x"] + [f"{k}={fmt(v)}" for k, v in args.items()])
    out = [("keyword", f"F.{fn}({kw})")]
    last = max([names.index(k) for k in args] + [-1])
    pos = ["x"] + [fmt(args[n]) if n in args else fmt(defaults[n]) for n in names[: last + 1]]
    if fn != "gelu":  # its approximate is keyword-only
        out.append(("positional", f"F.{fn}({', '.join(pos)})"))
    om = ["x"] + [fmt(args[n]) for n in required if n in args]
    om += [f"{k}={fmt(v)}" for k, v in args.items() if k not in required and not (type(v) is type(defaults[k]) and v == defaults[k])]
    out.append(("omitted", f"F.{fn}({', '.join(om)})"))
    return out


def functional_cases():
    C = []

    def add(fn, cfgs, shape):
        for c in cfgs:
            C.append(("functional", fn, c, shape))

    for fn, shape in (("max_pool2d", POOL2), ("max_pool1d", POOL1)):
        add(fn, vary({"kernel_size": 2}, kernel_size=[3], stride=[1, 2], padding=[1], dilation=[2], ceil_mode=[True]), shape)
        add(fn, [{"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}, {"kernel_size": 2, "return_indices": True}], shape)
    for fn, shape in (("avg_pool2d", POOL2), ("avg_pool1d", POOL1)):
        add(
            fn,
            vary({"kernel_size": 3, "stride": 2, "padding": 1}, ceil_mode=[True], count_include_pad=[False]),
            shape,
        )
        add(fn, [{"kernel_size": 2}], shape)
    add("avg_pool2d", [{"kernel_size": 2, "divisor_override": 3}, {"kernel_size": 3, "padding": 1, "divisor_override": 2}], POOL2)
    add("adaptive_avg_pool2d", [{"output_size": 1}, {"output_size": (2, 3)}, {"output_size": 4}], POOL2)
    add("adaptive_max_pool2d", [{"output_size": 3}], POOL2)
    add("adaptive_avg_pool1d", [{"output_size": 4}], POOL1)
    up = [1, 3, 4, 5]
    add(
        "interpolate",
        [
            {"scale_factor": 2},
            {"scale_factor": 1.5},
            {"size": (6, 9)},
            {"scale_factor": 2, "mode": "bilinear"},
            {"scale_factor": 2, "mode": "bilinear", "align_corners": True},
            {"size": (7, 7), "mode": "bilinear", "align_corners": False},
            {"scale_factor": 1.5, "mode": "bilinear"},
            {"scale_factor": 1.5, "mode": "bilinear", "recompute_scale_factor": True},
            {"scale_factor": 1.5, "mode": "nearest", "recompute_scale_factor": True},
            {"scale_factor": 2, "mode": "bicubic"},
            {"size": (2, 3), "mode": "bilinear", "antialias": True},
        ],
        up,
    )
    add(
        "pad",
        [
            {"pad": (1, 1)},
            {"pad": (1, 2, 0, 1)},
            {"pad": (1, 1, 2, 0), "value": 0.5},
            {"pad": (1, 2, 1, 0), "mode": "reflect"},
            {"pad": (2, 1, 1, 1), "mode": "replicate"},
            {"pad": (1, 1, 1, 1), "mode": "circular"},
        ],
        [1, 2, 4, 5],
    )
    act = [1, 4, 3, 3]
    add("softmax", [{"dim": 1}, {"dim": -1}, {"dim": 2}], act)
    add("log_softmax", [{"dim": 1}, {"dim": 3}], act)
    add("leaky_relu", vary({}, negative_slope=[0.2]), act)
    add("elu", vary({}, alpha=[0.5]), act)
    add("gelu", vary({}, approximate=["tanh"]), act)
    add("softplus", vary({}, beta=[2.0], threshold=[0.5]), act)
    add("hardtanh", vary({}, min_val=[-0.5], max_val=[0.25]), act)
    add("relu", [{}], act)
    add("pixel_shuffle", [{"upscale_factor": 2}], [1, 8, 3, 3])
    add("pixel_unshuffle", [{"downscale_factor": 2}], [1, 2, 6, 6])
    return C


def run_functional(src, shape):
    n = int(np.prod(shape))
    x = torch.from_numpy(fill(n, fnv("input"), -2.0, 2.0)).reshape(shape)
    with torch.no_grad():
        y = eval(src, {"F": F, "torch": torch, "x": x.clone()})
    if isinstance(y, tuple):
        y = y[0]
    return y


def run(src, shape):
    m = eval(src, {"nn": nn, "torch": torch})
    n = int(np.prod(shape))
    x = torch.from_numpy(fill(n, fnv("input"), -2.0, 2.0)).reshape(shape)
    if any(isinstance(p, nn.parameter.UninitializedParameter) for p in m.parameters()):
        with torch.no_grad():
            m(x.clone())  # a lazy module takes its shapes from its first input
    for name, p in m.named_parameters():
        lo, hi = value_range(m, name)
        with torch.no_grad():
            p.copy_(torch.from_numpy(fill(p.numel(), fnv(name), lo, hi)).reshape(p.shape))
    for name, b in m.named_buffers():
        if not b.is_floating_point():
            continue
        lo, hi = value_range(m, name)
        with torch.no_grad():
            b.copy_(torch.from_numpy(fill(b.numel(), fnv(name), lo, hi)).reshape(b.shape))
    m.eval()
    with torch.no_grad():
        y = m(x.clone())
    if isinstance(y, tuple):
        y = y[0]
    params = {k: [list(v.shape), *value_range(m, k)] for k, v in m.named_parameters()}
    buffers = {k: [list(v.shape), *value_range(m, k)] for k, v in m.named_buffers() if v.is_floating_point()}
    total = sum(p.numel() for p in m.parameters())
    trainable = sum(p.numel() for p in m.parameters() if p.requires_grad)
    nbuf = sum(b.numel() for b in m.buffers() if b.is_floating_point())
    return m, y, params, buffers, total, trainable, nbuf


def output_record(y):
    a = y.detach().numpy().astype(np.float32)
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
    torch.manual_seed(0)
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
                m, y, params, buffers, total, trainable, nbuf = run(src, shape)
            except Exception as e:  # PyTorch refuses the configuration (or the input)
                case["error"] = f"{type(e).__name__}: {str(e).splitlines()[0]}"
                cases.append(case)
                continue
            case.update(
                {
                    "params": params,
                    "buffers": buffers,
                    "counts": {"total": total, "trainable": trainable, "nonTrainable": nbuf},
                    "output": output_record(y),
                }
            )
            cases.append(case)
    for family, fn, cfg, shape in functional_cases():
        for style, src in functional_styles(fn, cfg):
            key = (src, tuple(shape))
            if key in seen:
                continue
            seen.add(key)
            case = {"family": family, "layer": f"F.{fn}", "style": style, "source": src, "input": shape}
            try:
                y = run_functional(src, shape)
            except Exception as e:
                case["error"] = f"{type(e).__name__}: {str(e).splitlines()[0]}"
                cases.append(case)
                continue
            case.update(
                {
                    "params": {},
                    "buffers": {},
                    "counts": {"total": 0, "trainable": 0, "nonTrainable": 0},
                    "output": output_record(y),
                }
            )
            cases.append(case)
    out = {
        "generator": "scripts/gen-arg-sweep-torch.py",
        "torch": torch.__version__.split("+")[0],
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
    print(f"{len(cases)} cases ({sum('error' in c for c in cases)} refused by PyTorch): {by}", file=sys.stderr)


if __name__ == "__main__":
    main()
