/**
 * Where a model's trace lost its tensor, and why: a tensor passed to something the analyzer cannot
 * follow (a block class or function from a module it does not read, an undefined name, a library
 * call it does not model). The model is then shown in part, with this place and reason. The same
 * place is kept with the unknown value such a call returns, so that a model built by it and lost
 * altogether is reported where it was lost (lostModel below).
 */
import type { Range } from '../python/ast';
import type { StopPoint, Value } from './values';

export type { StopPoint };

/** Libraries whose names the framework layer reads itself: an unmodelled name there is "not modelled". */
const LIBRARIES = /^(torch|torchvision|keras|tensorflow|tf|numpy|np|math|collections|typing|F|nn)(\.|$)/;

export function stopPoint(fn: Value, calleeText: string, range: Range): StopPoint | null {
  const path = fn.t === 'qual' ? fn.path : fn.t === 'object' && fn.kind === 'foreign' ? fn.what : null;
  if (path !== null) {
    const dot = path.lastIndexOf('.');
    const name = path.slice(dot + 1);
    const module = dot > 0 ? path.slice(0, dot) : path;
    if (LIBRARIES.test(path)) return { range, why: 'not-modelled', name: path, module };
    return { range, why: /^[A-Z]/.test(name) ? 'foreign-class' : 'foreign-function', name, module };
  }
  // an attribute the object does not have (`self.s1` never set), None, a number: nothing to call
  const nothingToCall = fn.t === 'unknown' || fn.t === 'none' || (fn.t === 'builtin' && fn.self?.t === 'instance');
  if (nothingToCall) {
    const text = calleeText.replace(/\s+/g, ' ');
    return { range, why: 'unknown-function', name: text.length > 60 ? `${text.slice(0, 57)}...` : text, module: '' };
  }
  return null;
}

/**
 * A model the file builds but the analysis lost: where the call that built it could not be
 * followed (why: as a stop, or 'not-read' — an application model whose source was not found),
 * and the name the file gives it.
 */
export interface LostModel {
  where: Omit<StopPoint, 'why'> & { why: StopPoint['why'] | 'not-read' };
  model: string;
}

/** Methods only a model has: called on a value the analysis lost, they say it was a model. */
export const MODEL_METHODS = new Set([
  'eval',
  'train',
  'forward',
  'summary',
  'compile',
  'fit',
  'predict',
  'parameters',
  'named_parameters',
  'named_modules',
  'state_dict',
  'load_state_dict',
  'load_weights',
  'count_params',
]);
