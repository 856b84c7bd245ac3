/**
 * What the analyzer reads of each Keras layer class, for code that writes Keras source for it
 * (model files: src/modelfile/keras/config.ts writes only the arguments read here).
 */
import { canonicalKerasClass, isKerasAugmentation, KERAS_LAYERS } from './frameworks/keras';

export { canonicalKerasClass, isKerasAugmentation };

/** The constructor arguments the analyzer reads for a (canonical) class; null when it does not model it. */
export function kerasLayerParams(className: string): readonly string[] | null {
  return Object.hasOwn(KERAS_LAYERS, className) ? KERAS_LAYERS[className]!.params : null;
}
