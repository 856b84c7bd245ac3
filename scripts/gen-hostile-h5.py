#!/usr/bin/env python3
"""Writes the hostile HDF5 fixtures of test/unit/io/hostile-h5.test.ts into test/fixtures/weights/
(HDF5 cannot reasonably be built byte by byte in a test). Needs h5py and numpy:
  /usr/bin/python3 scripts/gen-hostile-h5.py
  - h5_external_link.weights.h5: a Keras 3 layout whose first variable is an external link;
  - h5_chunked_bomb.weights.h5: one gzip-chunked float32 dataset of 4096 x 8192 zeros (2^25
    elements, 128 MB once decoded) in ~130 KB.
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
