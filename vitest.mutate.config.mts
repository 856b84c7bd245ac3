import { defineConfig } from 'vitest/config';

/**
 * The unit tests that check the code under mutation (stryker.config.mjs): window geometry, the
 * layer families and the Keras/PyTorch argument readers, against framework oracles and worked
 * numbers. Stryker runs only the tests that cover each mutant.
 */
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Stryker switches mutants on and off at run time, so the modules can stay loaded between
    // test files: without isolation each mutant's run skips re-importing the analyzer and tfjs.
    isolate: false,
    include: [
      'test/unit/engine/geometry.test.ts',
      'test/unit/engine/textbook.test.ts',
      'test/unit/engine/errors.test.ts',
      'test/unit/engine/pool-channels-first.test.ts',
      'test/unit/engine/torch-oracle.test.ts',
      'test/unit/engine/torch-oracle-layers.test.ts',
      'test/unit/engine/tf-oracle-conv.test.ts',
      'test/unit/model/**/*.test.ts',
      'test/unit/mutation-*/**/*.test.ts',
      'test/unit/sweep/arg-sweep.test.ts',
      'test/unit/analysis/oracle-models.test.ts',
      'test/unit/analysis/snippets.test.ts',
      'test/unit/analysis/constructs.test.ts',
      'test/unit/analysis/torch-layer-errors.test.ts',
      'test/unit/analysis/keras-batchnorm-params.test.ts',
      'test/unit/runtime/keras-forward.test.ts',
      'test/unit/runtime/keras-layers-forward.test.ts',
      'test/unit/runtime/torch-forward.test.ts',
      'test/unit/present/explain.test.ts',
      'test/unit/present/hover.test.ts',
      'test/unit/cli/explain.test.ts',
    ],
  },
});
