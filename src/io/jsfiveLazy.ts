/**
 * jsfive, loaded when an HDF5 file is first read: evaluating the package builds its tables
 * (about 3 ms), which every start of the command and the workers would pay otherwise.
 */
import type * as Jsfive from 'jsfive';

let lib: typeof Jsfive | null = null;

export function jsfive(): typeof Jsfive {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, on purpose
  return (lib ??= require('jsfive') as typeof Jsfive);
}
