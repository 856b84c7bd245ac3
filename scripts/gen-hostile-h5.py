#!/usr/bin/env python3
"""Writes the hostile HDF5 fixtures of test/unit/io/hostile-h5.test.ts into test/fixtures/weights/
(HDF5 cannot reasonably be built byte by byte in a test). Needs h5py and numpy:
  /usr/bin/python3 scripts/gen-hostile-h5.py
  - h5_external_link.weights.h5: a Keras 3 layout whose first variable is an external link;
  - h5_chunked_bomb.weights.h5: one gzip-chunked float32 dataset of 4096 x 8192 zeros (2^25
    elements, 128 MB once decoded) in ~130 KB;
  - h5_chunked_edges.weights.h5: arange values in chunks that overhang the edges, through gzip,
    shuffle and fletcher32 (float32 5x7x3, float16 9x4, big-endian float64 10), to check that
    chunked data is placed exactly.
"""
import os
import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'weights')

with h5py.File(os.path.join(OUT, 'h5_external_link.weights.h5'), 'w') as f:
    g = f.create_group('layers/dense/vars')
    g['0'] = h5py.ExternalLink('other.h5', '/kernel')
    g.create_dataset('1', data=np.zeros(3, 'f4'))

with h5py.File(os.path.join(OUT, 'h5_chunked_bomb.weights.h5'), 'w') as f:
    g = f.create_group('layers/dense/vars')
    d = g.create_dataset('0', shape=(4096, 8192), dtype='f4', chunks=(1024, 1024), compression='gzip', compression_opts=9)
    zeros = np.zeros((1024, 8192), 'f4')
    for i in range(4):
        d[i * 1024:(i + 1) * 1024] = zeros

with h5py.File(os.path.join(OUT, 'h5_chunked_edges.weights.h5'), 'w') as f:
    g = f.create_group('layers/dense/vars')
    g.create_dataset('0', data=np.arange(105, dtype='f4').reshape(5, 7, 3), chunks=(2, 3, 2), compression='gzip', shuffle=True, fletcher32=True)
    g.create_dataset('1', data=np.arange(36, dtype='f2').reshape(9, 4), chunks=(4, 3), compression='gzip')
    g.create_dataset('2', data=np.arange(10, dtype='>f8'), chunks=(3,), shuffle=True)
