/**
 * Mocha, typed locally: the project's typecheck (`tsc -p .`, which covers test/**) must not depend
 * on @types/mocha, and these tests are bundled by esbuild with mocha left external. The BDD
 * functions below call the globals mocha installs while it loads each test file ('pre-require').
 */
import { createRequire } from 'node:module';

/** Tests and hooks return a promise (or nothing); the done-callback style is not used here. */
type AsyncTestFn = (this: MochaContext) => unknown;

export interface MochaContext {
  timeout(ms: number): void;
  skip(): never;
}

export interface MochaRunner {
  on(event: 'fail', fn: (test: { fullTitle(): string }, err: Error) => void): MochaRunner;
}

export interface MochaInstance {
  addFile(file: string): void;
  run(done: (failures: number) => void): MochaRunner;
}

export type MochaConstructor = new (options: {
  ui: 'bdd';
  color?: boolean;
  timeout?: number;
  reporter?: string;
  grep?: string;
}) => MochaInstance;

/** Mocha from the project (devDependency), or from CONVLENS_MOCHA_PATH (a folder or its index.js). */
export function loadMocha(): MochaConstructor {
  const req = createRequire(__filename);
  return req(process.env['CONVLENS_MOCHA_PATH'] || 'mocha') as MochaConstructor;
}

function mochaGlobal<T>(name: string): T {
  const g = (globalThis as Record<string, unknown>)[name];
  if (typeof g !== 'function') throw new Error(`mocha's ${name}() is not installed: load this file through mocha`);
  return g as T;
}

export function describe(title: string, fn: (this: MochaContext) => void): void {
  mochaGlobal<(t: string, f: () => void) => void>('describe')(title, fn);
}

export function it(title: string, fn: AsyncTestFn): void {
  mochaGlobal<(t: string, f: AsyncTestFn) => void>('it')(title, fn);
}

export function before(fn: AsyncTestFn): void {
  mochaGlobal<(f: AsyncTestFn) => void>('before')(fn);
}

export function after(fn: AsyncTestFn): void {
  mochaGlobal<(f: AsyncTestFn) => void>('after')(fn);
}
