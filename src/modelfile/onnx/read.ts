import { inputFail } from '../../io/errors';
import type { ModelFile, ModelFileOptions } from '../types';

export function readOnnxModelFile(_bytes: Uint8Array, name: string, _options: ModelFileOptions): ModelFile {
  inputFail('unsupported', `${name}: ONNX files are not read yet`);
}
