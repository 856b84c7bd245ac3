"""The peer of `convlens forward test/fixtures/models/torch/vgg16.py --layer classifier.6` for the
whole-process benchmark (scripts/bench-process.ts): the same model file run by PyTorch itself —
its classes built with PyTorch's default initializers — in inference mode (torch.no_grad(),
eval()), on a 224×224 image given as a (1, 3, 224, 224) float32 .npy, the output written as .npy.

Usage: python3 scripts/bench/vgg16-torch.py MODEL.py INPUT.npy OUT.npy
"""
import sys
import types

import numpy as np
import torch


def main() -> None:
    model_file, input_file, out_file = sys.argv[1:4]
    source = open(model_file, encoding="utf-8").read()
    # the file builds the model and runs it on noise at its end: keep the definitions only
    definitions = source.split("\nmodel = ")[0]
    module = types.ModuleType("vgg16_model")
    exec(compile(definitions, model_file, "exec"), module.__dict__)
    model = module.VGG(module.make_layers(module.cfgs["D"])).eval()
    x = torch.from_numpy(np.load(input_file))
    with torch.no_grad():
        y = model(x)
    np.save(out_file, y.numpy())


if __name__ == "__main__":
    main()
