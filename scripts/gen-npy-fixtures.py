#!/usr/bin/env python3
"""
NumPy-written .npy fixtures for src/io/npy.ts (read by test/unit/io/npy.test.ts).

Run:
    /usr/bin/python3 scripts/gen-npy-fixtures.py

Needs numpy. If `import numpy` fails with the interpreter first on PATH, the script re-executes
itself once with /usr/bin/python3 (Debian's, with python3-numpy), else exits saying what to install.

Output: test/fixtures/npy/*.npy and test/fixtures/npy/expected.json:
    { "generator": ..., "numpy": <version>,
      "files": { "<file>.npy": { "shape": [...], "dtype": "float32", "descr": "<f4",
                                 "values": [...] }          # readable: C-order values as float32
               | { "error": "unsupported", "match": "Fortran" } ,     # refused: code + message part
               ... },
      "writeMatches": [ "<file>.npy", ... ] }  # np.save output of '<f4' arrays, which writeNpy
                                                # must reproduce byte for byte from shape + values
Values are the array converted with astype(np.float32), then to Python floats (exact); NaN and
±Infinity are written as the strings "nan", "inf", "-inf" because JSON has no such numbers.

Deterministic: every array is built from fixed literals or arange formulas (no RNG), and the JSON
is written with sorted keys, so re-running produces identical files for the same numpy version.
"""
import os
import sys

REEXEC_ENV = 'CONVLENS_NPY_FIXTURES_REEXEC'
SYSTEM_PYTHON = '/usr/bin/python3'

try:
    import numpy as np
except ImportError as err:  # pragma: no cover - environment dependent
    here = os.path.realpath(sys.executable or '')
    if (not os.environ.get(REEXEC_ENV) and os.path.exists(SYSTEM_PYTHON)
            and here != os.path.realpath(SYSTEM_PYTHON)):
        os.environ[REEXEC_ENV] = '1'
        print(f'gen-npy-fixtures: {err}; re-running with {SYSTEM_PYTHON}', file=sys.stderr)
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__), *sys.argv[1:]])
    sys.exit(
        f'gen-npy-fixtures: cannot import numpy ({err}) with {sys.executable}.\n'
        'Install it (Debian: apt-get install python3-numpy; or pip install numpy)\n'
        f'and run: /usr/bin/python3 {os.path.relpath(os.path.abspath(__file__))}'
    )

import json
import math
from numpy.lib import format as npformat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, 'test', 'fixtures', 'npy')

files = {}
write_matches = []


def jsonable(v):
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    return v


def expect_values(arr):
    flat = np.ascontiguousarray(arr).astype(np.float32).reshape(-1)
    return [jsonable(float(x)) for x in flat]


def save(name, arr, version=None, **kw):
    path = os.path.join(OUT_DIR, name)
    with open(path, 'wb') as f:
        if version is None:
            np.save(f, arr, **kw)
        else:
            npformat.write_array(f, arr, version=version, **kw)
    return path


def readable(name, arr, version=None):
    save(name, arr, version)
    files[name] = {
        'shape': list(arr.shape),
        'dtype': arr.dtype.name,
        'descr': arr.dtype.str,
        'values': expect_values(arr),
    }


def refused(name, arr, code, match, **kw):
    save(name, arr, **kw)
    files[name] = {'error': code, 'match': match}


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for f in os.listdir(OUT_DIR):
        if f.endswith('.npy') or f == 'expected.json':
            os.remove(os.path.join(OUT_DIR, f))

    # Floats, every width, both byte orders.
    readable('f4-2x3.npy', (np.arange(6, dtype='<f4').reshape(2, 3) * 0.5 - 1))
    readable('f8-4.npy', np.array([0.1, -2.5, 1e10, 1e-50], dtype='<f8'))
    readable('f2-6.npy', np.array([0, 1.5, -65504, 6e-8, np.inf, np.nan], dtype='<f2'))
    readable('f4-specials.npy', np.array([np.nan, np.inf, -np.inf, -0.0, 1e-45, 3.4e38], dtype='<f4'))
    readable('be-f4-2x2.npy', np.array([[1.25, -3.5], [1e-3, 7e5]], dtype='>f4'))
    readable('be-f8-3.npy', np.array([math.pi, -math.e, 1 / 3], dtype='>f8'))

    # Integers and bool.
    readable('i1-5.npy', np.array([-128, -1, 0, 1, 127], dtype='|i1'))
    readable('u1-2x4.npy', (np.arange(8, dtype='|u1').reshape(2, 4) * 36))
    readable('i2-4.npy', np.array([-32768, -300, 300, 32767], dtype='<i2'))
    readable('be-i2-4.npy', np.array([-32768, -300, 300, 32767], dtype='>i2'))
    readable('u2-3.npy', np.array([0, 1000, 65535], dtype='<u2'))
    readable('i4-4.npy', np.array([-2**31, -7, 16777217, 2**31 - 1], dtype='<i4'))
    readable('be-u4-3.npy', np.array([0, 123456789, 2**32 - 1], dtype='>u4'))
    readable('u4-3.npy', np.array([0, 123456789, 2**32 - 1], dtype='<u4'))
    readable('i8-4.npy', np.array([-2**40 - 3, -1, 2**33 + 5, 2**52 + 1], dtype='<i8'))
    readable('be-i8-3.npy', np.array([-5, 2**45, -2**50], dtype='>i8'))
    readable('u8-3.npy', np.array([0, 2**40, 2**53], dtype='<u8'))
    readable('bool-2x3.npy', np.array([[True, False, True], [False, False, True]]))

    # Shapes: 0-d, empty, an image batch.
    readable('scalar-0d.npy', np.array(3.25))
    readable('empty-0x3.npy', np.zeros((0, 3), dtype='<f4'))
    readable('image-1x3x4x5.npy', (np.arange(60, dtype='<f4').reshape(1, 3, 4, 5) / 59.0))

    # Header versions 2.0 and 3.0 (numpy writes them only when needed; forced here).
    readable('v2-f4-3x2.npy', np.arange(6, dtype='<f4').reshape(3, 2) - 2.5, version=(2, 0))
    readable('v3-i4-4.npy', np.array([1, -2, 3, -4], dtype='<i4'), version=(3, 0))

    # Refused with a message naming why.
    refused('fortran-2x3.npy', np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3)), 'unsupported', 'Fortran')
    refused('object.npy', np.array([1, 'a', None], dtype=object), 'unsupported', 'object arrays', allow_pickle=True)
    refused('structured.npy', np.zeros(2, dtype=[('a', '<f4'), ('b', '<i4')]), 'unsupported', 'structured')
    refused('complex.npy', np.array([1 + 2j], dtype='<c8'), 'unsupported', 'complex')
    refused('unicode.npy', np.array(['cat', 'dog']), 'unsupported', 'string')

    # np.save of '<f4' arrays: writeNpy must produce the same bytes.
    for name, arr in [
        ('save-0d.npy', np.array(1.5, dtype='<f4')),
        ('save-1d.npy', np.arange(5, dtype='<f4') * 0.25),
        ('save-2x3.npy', np.arange(6, dtype='<f4').reshape(2, 3) - 3),
        ('save-1x28x28x1.npy', (np.arange(784, dtype='<f4').reshape(1, 28, 28, 1) % 256) / 255),
        ('save-empty.npy', np.zeros((2, 0), dtype='<f4')),
    ]:
        readable(name, arr)
        write_matches.append(name)

    out = {
        'generator': 'scripts/gen-npy-fixtures.py',
        'numpy': np.__version__,
        'files': files,
        'writeMatches': write_matches,
    }
    # One line per file keeps the JSON small and its diffs readable.
    entries = ',\n'.join(f'  {json.dumps(k)}: {json.dumps(v, sort_keys=True)}' for k, v in sorted(files.items()))
    with open(os.path.join(OUT_DIR, 'expected.json'), 'w') as f:
        f.write('{\n')
        for key in ('generator', 'numpy', 'writeMatches'):
            f.write(f' {json.dumps(key)}: {json.dumps(out[key])},\n')
        f.write(f' "files": {{\n{entries}\n }}\n}}\n')
    print(f'gen-npy-fixtures: wrote {len(files)} .npy files and expected.json to '
          f'{os.path.relpath(OUT_DIR, ROOT)} (numpy {np.__version__})')


if __name__ == '__main__':
    main()
