import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/webview/**/*.test.ts'],
          // results the engine does not zero arrive full of NaNs: a value left unwritten shows
          setupFiles: ['test/unit/helpers/poisonUnfilled.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The readers of compressed files (PNG, .keras, HDF5) again, with Node's zlib installed as
        // the native inflater the Node entry points use (src/io/inflate.ts): the same pixels, the
        // same refusals, the same messages as with fflate alone.
        extends: true,
        test: {
          name: 'native-zlib',
          include: [
            'test/unit/io/png-codec.test.ts',
            'test/unit/io/image.test.ts',
            'test/unit/io/image-robustness.test.ts',
            'test/unit/io/hostile-png.test.ts',
            'test/unit/io/hostile-h5.test.ts',
            'test/unit/io/hostile-weights.test.ts',
            'test/unit/io/weights.test.ts',
            'test/unit/fuzz/readers.test.ts',
          ],
          setupFiles: ['test/unit/helpers/nativeZlib.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The packaged extension in a real VS Code (code-server + Chromium), after the unit tests.
        // globalSetup builds and packages once per run; it runs only when e2e files are selected.
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/globalSetup.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 240_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
