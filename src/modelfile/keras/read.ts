import { inputFail } from '../../io/errors';
import type { ModelFile, ModelFileOptions } from '../types';

export function readKerasModelFile(_bytes: Uint8Array, name: string, _options: ModelFileOptions): ModelFile {
  inputFail('unsupported', `${name}: Keras model files are not read yet`);
}
