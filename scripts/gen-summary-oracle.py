#!/usr/bin/env python3
"""
Oracle for the summary table's torchinfo and Keras 3 columns, for test/unit/cli/summary-parity.test.ts.

Run (each part needs its own environment; neither is run by the tests):
    PYTHONPATH=/path/to/torchinfo-source /tmp/kvenv-corpus/bin/python scripts/gen-summary-oracle.py torch
    /tmp/kvenv/bin/python scripts/gen-summary-oracle.py keras

torch: runs torchinfo.summary() (1.8.x; the package, or its source tree on PYTHONPATH) on
  test/fixtures/summary/torch_blocks.py and examples/alexnet.py, batch 1, and writes
  test/fixtures/summary/torchinfo.json: the totals (params, trainable, mult-adds, input bytes,
  forward/backward pass bytes, params bytes) and, per leaf module, its named_modules() name, input
  and output size, params, torchinfo's Mult-Adds and the part of them that comes from the bias and
  other non-weight parameters (bias·output positions, BatchNorm's weight and bias), plus the rows
  torchinfo prints at depth 1 (name and parameters of the subtree).
keras: builds test/fixtures/summary/keras_functional.py with Keras 3 and writes
  test/fixtures/summary/keras-connected.json: each row of model.summary() (layer name, class,
  output shape, params) and its "Connected to" cell as Keras prints it.
"""
import json
import os
import runpy
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "summary")


def torch_part():
    import torch
    import torchinfo

    def one(path, var, shape):
        torch.manual_seed(0)
        ns = runpy.run_path(path)
        model = ns[var] if var in ns else ns["AlexNet"]()
        model.eval()
        s = torchinfo.summary(model, input_size=(1, *shape), depth=10, verbose=0)
        names = {id(m): n for n, m in model.named_modules()}
        leaves = []
        for info in s.summary_list:
            if not info.is_leaf_layer:
                continue
            m = info.module
            non_weight = 0
            for pname, p in m.named_parameters(recurse=False):
                if pname == "weight" and ("Conv" in info.class_name or "Linear" in info.class_name):
                    continue
                # torchinfo's rule for each parameter, for those that are not a conv or linear weight
                if "Conv" in info.class_name:
                    non_weight += p.numel() * int(torch.tensor(info.output_size[:1] + info.output_size[2:]).prod())
                elif "Linear" in info.class_name:
                    non_weight += p.numel() * int(torch.tensor(info.output_size[:-1]).prod())
                else:
                    non_weight += info.output_size[0] * p.numel()
            leaves.append(
                {
                    "name": names[id(m)],
                    "type": info.class_name,
                    "inputSize": info.input_size,
                    "outputSize": info.output_size,
                    "params": info.num_params,
                    "trainable": info.trainable,
                    "multAdds": info.macs,
                    "nonWeightMultAdds": non_weight,
                }
            )
        depth1 = [
            {"name": names[id(i.module)], "type": i.class_name, "params": i.num_params, "outputSize": i.output_size}
            for i in s.summary_list
            if i.depth == 1
        ]
        return {
            "file": os.path.relpath(path, ROOT),
            "inputSize": [1, *shape],
            "totalParams": s.total_params,
            "trainableParams": s.trainable_params,
            "totalMultAdds": s.total_mult_adds,
            "inputBytes": s.total_input,
            "forwardBackwardBytes": s.total_output_bytes,
            "paramBytes": s.total_param_bytes,
            "leaves": leaves,
            "depth1": depth1,
        }

    data = {
        "generator": "scripts/gen-summary-oracle.py",
        "torchinfo": torchinfo.__version__,
        "torch": torch.__version__,
        "models": [
            one(os.path.join(OUT, "torch_blocks.py"), "model", (3, 32, 32)),
            one(os.path.join(ROOT, "examples", "alexnet.py"), "model", (3, 224, 224)),
        ],
    }
    with open(os.path.join(OUT, "torchinfo.json"), "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


def keras_part():
    os.environ["COLUMNS"] = "250"  # rich draws the table to the terminal's width
    import keras

    ns = runpy.run_path(os.path.join(OUT, "keras_functional.py"))
    model = ns["model"]
    lines = []
    model.summary(print_fn=lambda s, **kw: lines.append(s), line_length=200)
    text = "\n".join(lines)
    rows = []
    # the table's body: cells split by the box's vertical bars; a cell can continue on the next line
    for line in text.split("\n"):
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip("│").split("│")]
        if cells[0]:
            rows.append(cells)
        elif rows:
            rows[-1] = [a + (" " + b if b else "") if b else a for a, b in zip(rows[-1], cells)]
    data = {
        "generator": "scripts/gen-summary-oracle.py",
        "keras": keras.__version__,
        "columns": [c.strip() for c in next(l for l in text.split("\n") if l.startswith("┃")).strip("┃").split("┃")],
        "rows": rows,
    }
    with open(os.path.join(OUT, "keras-connected.json"), "w") as f:
        json.dump(data, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    part = sys.argv[1] if len(sys.argv) > 1 else ""
    if part == "torch":
        torch_part()
    elif part == "keras":
        keras_part()
    else:
        sys.exit("usage: gen-summary-oracle.py torch|keras")
