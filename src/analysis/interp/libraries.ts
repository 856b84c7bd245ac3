/**
 * Models built from a library whose source was not found: `torchvision.models.resnet18()` or
 * `timm.create_model('resnet18')` after an `import` the resolver found no file for. The analyzed
 * file's own calls are watched (not the code of modules it reads); a call counts when the
 * framework layer does not answer it itself and it builds a model: a name from a `models`
 * module, a model factory (`create_model`, `get_model`, `from_pretrained`, `from_name`), or an
 * object that is then called on a tensor. An import that is never used that way says nothing.
 */
import type { Range } from '../python/ast';
import type { CallArgs, Value } from './values';

export interface MissingLibraryCall {
  range: Range;
  /** The top-level package (`torchvision`). */
  package: string;
  /** The called name, qualified (`torchvision.models.resnet18`). */
  name: string;
}

const FACTORIES = new Set(['create_model', 'get_model', 'from_pretrained', 'from_name']);

/** A qualified name that builds a model by its name alone. */
function buildsModel(path: string): boolean {
  const parts = path.split('.');
  return parts.slice(1, -1).includes('models') || FACTORIES.has(parts[parts.length - 1]!);
}

export class MissingLibraries {
  readonly calls: MissingLibraryCall[] = [];
  /** Objects made by such a call, reported once they are called on a tensor. */
  private readonly made = new WeakMap<object, MissingLibraryCall>();
  private readonly reported = new Set<string>();

  /** `notFound`: the module a dotted name comes from when no file was found for it (ModuleLoader). */
  constructor(private readonly notFound: (path: string) => string | null) {}

  /** A call of the imported name `path` that the framework layer answered with `out`. */
  qualCall(path: string, out: Value, range: Range, external: boolean): void {
    if (external || !(out.t === 'unknown' || (out.t === 'object' && out.kind === 'foreign'))) return;
    const module = this.notFound(path);
    if (module === null) return;
    const call = { range, package: module.split('.')[0]!, name: path };
    if (buildsModel(path)) this.report(call);
    else if (out.t === 'object') this.made.set(out, call);
  }

  /** Any call: an object from such a library called on a tensor is a model. */
  called(fn: Value, args: CallArgs): void {
    if (fn.t !== 'object') return;
    const call = this.made.get(fn);
    if (call && args.positional.some((a) => a.t === 'tensor')) this.report(call);
  }

  private report(call: MissingLibraryCall): void {
    const key = `${call.range.from}:${call.range.to}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.calls.push(call);
  }
}
