/**
 * Once per test run, before any e2e file: check the prerequisites (in CI a missing one fails the
 * run; elsewhere the suite is skipped with the command that sets it up), then build and package
 * the extension (reused while the sources are unchanged). The teardown kills any code-server
 * process group a crashed worker left behind.
 */
import type { TestProject } from 'vitest/node';
import { ensureVsix, IS_CI, killLeftovers, prerequisiteMessage, prerequisites } from './harness';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The packaged extension for this run ('' when the suite is skipped). */
    convlensVsix: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  killLeftovers();
  const pre = prerequisites();
  if (!pre.ok) {
    const msg = prerequisiteMessage(pre);
    if (IS_CI) throw new Error(`${msg} (CI=true: the end-to-end suite is required)`);
    console.warn(`${msg}\nSkipping the end-to-end suite.`);
    project.provide('convlensVsix', '');
    return () => undefined;
  }
  project.provide('convlensVsix', await ensureVsix());
  return () => killLeftovers();
}
