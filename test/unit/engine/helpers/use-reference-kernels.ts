/** Side-effect import: switches the engine to its pure-TypeScript reference kernels. */
import { setKernelPath } from '../../../../src/engine';

setKernelPath('reference');
