// Mutation testing (npm run mutate): plants small changes in window geometry, the layer families
// and the Keras/PyTorch argument readers, and reports each one the unit tests do not notice.
// Not part of `npm test`. One file at a time: npm run mutate -- --mutate src/engine/geometry.ts
// Sequential by default (concurrency 1); raise with --concurrency N on an idle machine.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutate.config.mts', related: false },
  coverageAnalysis: 'perTest',
  // Module-level mutants (a family's table, a constant) need a fresh module graph per mutant, which
  // the shared, non-isolated test run (vitest.mutate.config.mts) does not give: they are left out.
  ignoreStatic: true,
  mutate: [
    'src/engine/geometry.ts',
    'src/model/layers/*.ts',
    'src/analysis/frameworks/torchLayers.ts',
    'src/analysis/frameworks/keras.ts',
    'src/analysis/frameworks/args.ts',
    'src/analysis/frameworks/torchFunctional.ts',
  ],
  ignorePatterns: ['dist', 'test-results', 'demo', '.corpus', '.bench', 'reports', '*.vsix'],
  concurrency: 1,
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
