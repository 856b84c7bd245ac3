#!/usr/bin/env python3
"""
Validates `convlens check --format sarif` against the official SARIF 2.1.0 JSON schema (OASIS,
sarif-schema-2.1.0.json; not shipped here: pass its path). Needs the `jsonschema` package and a
built CLI (npm run build). Exit 1 when a log does not validate.

Run:
    python3 scripts/check-sarif.py path/to/sarif-schema-2.1.0.json [FILE ...]

Without FILEs it checks a file with a shape error, a notebook, a clean example and a saved model.
"""
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        schema = json.load(f)
    files = sys.argv[2:]
    tmp = tempfile.mkdtemp()
    if not files:
        nb = os.path.join(tmp, "model.ipynb")
        with open(os.path.join(ROOT, "test", "fixtures", "summary", "bad_channels.py")) as f:
            src = f.read()
        with open(nb, "w") as f:
            json.dump({"cells": [{"cell_type": "code", "source": src, "metadata": {}, "outputs": []}]}, f)
        files = [
            os.path.join("test", "fixtures", "summary", "bad_channels.py"),
            os.path.join(tmp, "outside.py"),
            nb,
            os.path.join("examples", "textbook_cnn.py"),
        ]
        with open(files[1], "w") as f:
            f.write(src)
        # a saved model: a diagnostic that names a node, without a region
        files.append(os.path.join("test", "fixtures", "modelfiles", "onnx", "partial_lrn.onnx"))
    out = subprocess.run(
        ["node", os.path.join(ROOT, "dist", "cli.js"), "check", "--format", "sarif", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    log = json.loads(out.stdout)
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    for e in errors:
        print(f"{'/'.join(map(str, e.path))}: {e.message}")
    results = log["runs"][0]["results"]
    print(f"{len(files)} files, {len(results)} results, {len(errors)} schema errors")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
