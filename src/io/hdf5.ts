/**
 * Read-only HDF5 access for the Keras readers: navigate groups, read string attributes, read
 * numeric datasets as float32. jsfive parses the file's structure (superblock, object headers,
 * groups, attributes, chunk B-trees), always inside a Meter guard (jsfiveGuard.ts), which turns
 * its failures into InputErrors and stops runaway walks on corrupt files.
 * Dataset values are located and decoded by hdf5Messages.ts from our own bounds-checked reads;
 * jsfive's Dataset.value is only used for chunked data, after the chunk shape and filters were
 * validated. Object names from the file are checked before jsfive's get() sees them ('/', '.',
 * '' and prototype keys such as 'constructor' would make it walk elsewhere).
 */
import * as hdf5 from 'jsfive';
import { decodeElements, isFloatKind } from './dtypes';
import { fmtInt, inputFail } from './errors';
import {
  ByteReader,
  checkAttributeMessage,
  MSG_ATTRIBUTE,
  MSG_ATTRIBUTE_INFO,
  MSG_DATASPACE,
  MSG_DATATYPE,
  MSG_LAYOUT,
  parseDataspace,
  parseDatatype,
  parseLayout,
  rawDataRange,
} from './hdf5Messages';
import { checkFilters, Meter } from './jsfiveGuard';
import { printable, type ElementBudget } from './weightLimits';

export interface H5Child {
  name: string;
  kind: 'group' | 'dataset';
  /** Object header address; files written in one go allocate these in creation order. */
  address: number;
}

export interface H5Values {
  shape: number[];
  data: Float32Array;
  dtype: string;
  nonFloat: boolean;
}

const MAX_CHILDREN = 100_000;
/**
 * Elements of chunked (compressed) datasets read from one file. jsfive assembles chunked data as a
 * plain Array of numbers (~16 bytes an element at its peak, against 4 for the Float32Array we
 * keep), so this is far under the element cap of stored data: 2^24 elements, ~270 MB at the peak.
 * Keras never compresses weights; a file that does is re-saved without compression.
 */
export const MAX_CHUNKED_ELEMENTS = 2 ** 24;
const MAX_ATTR_PARTS = 10_000;

function validName(name: string): boolean {
  // jsfive's get() treats '/', '.' and '' specially; such link names only occur in corrupt files
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/');
}

export class H5File {
  /** Elements of chunked datasets read so far (MAX_CHUNKED_ELEMENTS). */
  private chunkedElements = 0;
  /** Opened objects by path ('' = root): jsfive re-parses every path segment on each get(). */
  private readonly cache = new Map<string, hdf5.Group | hdf5.Dataset>();

  private constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
    private readonly meter: Meter,
    root: hdf5.File,
  ) {
    this.cache.set('', root);
  }

  static open(bytes: Uint8Array, file: string): H5File {
    const meter = new Meter(file, bytes);
    const root = meter.guard('superblock and root group', () => new hdf5.File(meter.buffer, file));
    return new H5File(bytes, file, meter, root);
  }

  private object(path: string): hdf5.Group | hdf5.Dataset {
    const hit = this.cache.get(path);
    if (hit) return hit;
    const cut = path.lastIndexOf('/');
    const parentPath = cut < 0 ? '' : path.slice(0, cut);
    const name = path.slice(cut + 1);
    const parent = this.object(parentPath);
    if (!(parent instanceof hdf5.Group))
      inputFail('corrupt', `${this.file}: '${printable(parentPath)}' is a dataset, not a group`);
    if (!validName(name) || !Object.hasOwn(parent._links, name))
      inputFail('corrupt', `${this.file}: no object '${printable(path)}' in the HDF5 file`);
    if (typeof parent._links[name] !== 'number')
      inputFail('unsupported', `${this.file}: '${printable(path)}' is a soft or external link, which is not supported`);
    const obj = this.meter.guard(`object '${printable(path)}'`, () => parent.get(name));
    if (!(obj instanceof hdf5.Group) && !(obj instanceof hdf5.Dataset))
      inputFail('corrupt', `${this.file}: object '${printable(path)}' could not be opened`);
    this.cache.set(path, obj);
    return obj;
  }

  /** True when `path` names a member (its parent must exist). */
  has(path: string): boolean {
    const cut = path.lastIndexOf('/');
    const parent = this.object(cut < 0 ? '' : path.slice(0, cut));
    const name = path.slice(cut + 1);
    return parent instanceof hdf5.Group && validName(name) && Object.hasOwn(parent._links, name);
  }

  isGroup(path: string): boolean {
    return this.object(path) instanceof hdf5.Group;
  }

  /** Hard-linked children in address (= creation) order; soft links and odd names are skipped. */
  list(path: string): H5Child[] {
    const group = this.object(path);
    if (!(group instanceof hdf5.Group))
      inputFail('corrupt', `${this.file}: '${printable(path)}' is a dataset, not a group`);
    const links = Object.entries(group._links);
    if (links.length > MAX_CHILDREN)
      inputFail(
        'too-large',
        `${this.file}: group '${printable(path)}' has ${fmtInt(links.length)} members, over the ${fmtInt(MAX_CHILDREN)} limit`,
      );
    const out: H5Child[] = [];
    for (const [name, target] of links) {
      if (typeof target !== 'number' || !validName(name)) continue;
      const child = path ? `${path}/${name}` : name;
      out.push({ name, kind: this.object(child) instanceof hdf5.Group ? 'group' : 'dataset', address: target });
    }
    return out.sort((a, b) => a.address - b.address);
  }

  attrs(path: string): Record<string, unknown> {
    const obj = this.object(path);
    const what = `attributes of '${printable(path) || '/'}'`;
    const messages = this.meter.guard(what, () => obj._dataobjects.find_msg_type(MSG_ATTRIBUTE));
    const r = new ByteReader(this.bytes, `${this.file}: ${what}`);
    for (const m of messages) checkAttributeMessage(r, m.get('offset_to_message') ?? -1, m.get('size') ?? 0);
    return this.meter.guard(what, () => obj.attrs) ?? {};
  }

  /** True when attributes live in dense storage (Attribute Info message), which jsfive cannot read. */
  hasDenseAttributes(path: string): boolean {
    const obj = this.object(path);
    return this.meter.guard(
      `header of '${printable(path) || '/'}'`,
      () => obj._dataobjects.find_msg_type(MSG_ATTRIBUTE_INFO).length > 0,
    );
  }

  /**
   * A list-of-strings attribute (fixed-length byte strings or variable-length strings), with
   * NUL padding removed. Like Keras, also reads one split into `name0`, `name1`… because an HDF5
   * object header holds at most 64 KB. undefined when absent.
   */
  strings(path: string, name: string): string[] | undefined {
    const attrs = this.attrs(path);
    const parts: unknown[] = [];
    if (Object.hasOwn(attrs, name)) parts.push(attrs[name]);
    else
      for (let i = 0; i < MAX_ATTR_PARTS && Object.hasOwn(attrs, `${name}${i}`); i++) parts.push(attrs[`${name}${i}`]);
    if (parts.length === 0) return undefined;
    const out: string[] = [];
    for (const p of parts) {
      const items = Array.isArray(p) ? p : [p];
      for (const s of items) {
        if (typeof s !== 'string')
          inputFail(
            'corrupt',
            `${this.file}: attribute '${printable(name)}' of '${printable(path) || '/'}' is not a list of strings`,
          );
        out.push(s.replace(/\0+$/, ''));
      }
    }
    return out;
  }

  /** A scalar string attribute, or undefined when absent or not a string. */
  string(path: string, name: string): string | undefined {
    const v = this.attrs(path)[name];
    const s = Array.isArray(v) && v.length === 1 ? v[0] : v;
    return typeof s === 'string' ? s.replace(/\0+$/, '') : undefined;
  }

  /** Reads a numeric dataset as float32, counting its elements against `budget`. */
  read(path: string, budget: ElementBudget): H5Values {
    const ds = this.object(path);
    if (!(ds instanceof hdf5.Dataset))
      inputFail('corrupt', `${this.file}: '${printable(path)}' is a group, not a dataset`);
    const where = `${this.file}: dataset '${printable(path)}'`;
    const r = new ByteReader(this.bytes, where);
    const at = (type: number, what: string): number => {
      const off = this.meter.guard(`header of '${printable(path)}'`, () =>
        ds._dataobjects.find_msg_type(type)[0]?.get('offset_to_message'),
      );
      if (typeof off !== 'number') inputFail('corrupt', `${where}: has no ${what} message`);
      return off;
    };
    const shape = parseDataspace(r, at(MSG_DATASPACE, 'dataspace'));
    const { type, name: dtype } = parseDatatype(r, at(MSG_DATATYPE, 'datatype'), this.attrs(path).dtype);
    const count = budget.take(path, shape);
    const layout = parseLayout(r, at(MSG_LAYOUT, 'data layout'));
    const range = rawDataRange(r, layout, count * type.size);
    const nonFloat = !isFloatKind(type.kind);
    if (range) return { shape, data: decodeElements(this.bytes, range.offset, count, type), dtype, nonFloat };
    if (type.kind === 'bfloat') inputFail('unsupported', `${where}: chunked bfloat16 datasets are not supported`);
    return { shape, data: this.readChunked(ds, path, where, shape, count, type.size), dtype, nonFloat };
  }

  private readChunked(
    ds: hdf5.Dataset,
    path: string,
    where: string,
    shape: number[],
    count: number,
    itemSize: number,
  ): Float32Array {
    const what = `chunked data of '${printable(path)}'`;
    checkFilters(where, this.meter.guard(what, () => ds._dataobjects.filter_pipeline) ?? []);
    const chunks = this.meter.guard(what, () => ds._dataobjects.chunks);
    if (
      !Array.isArray(chunks) ||
      chunks.length !== shape.length ||
      !chunks.every((c) => Number.isInteger(c) && c >= 1)
    ) {
      inputFail(
        'corrupt',
        `${where}: chunk shape ${JSON.stringify(chunks)} does not fit dataset shape [${shape.join(', ')}]`,
      );
    }
    const chunkElements = chunks.reduce((a, b) => a * b, 1);
    // a chunk may overhang the dataset's edge, but not by orders of magnitude: jsfive walks every chunk element
    if (chunkElements > Math.max(4 * count, 65536))
      inputFail(
        'corrupt',
        `${where}: chunk shape [${chunks.join(', ')}] is far larger than the dataset [${shape.join(', ')}]`,
      );
    if (count === 0) return new Float32Array(0);
    // checked before jsfive decodes anything: its memory grows with the elements, not the file
    if (this.chunkedElements + count > MAX_CHUNKED_ELEMENTS)
      inputFail(
        'too-large',
        `${where}: compressed (chunked) datasets of more than ${fmtInt(MAX_CHUNKED_ELEMENTS)} elements in all are not read (this one has ${fmtInt(count)}); re-save the weights without compression`,
      );
    this.chunkedElements += count;
    // element steps jsfive may take: every chunk slot of every chunk, edge overhang included
    const maxSteps = 16 * count + 64 * chunkElements;
    const values = this.meter.chunked(what, chunkElements, chunkElements * itemSize, maxSteps, () => ds.value);
    if (!Array.isArray(values) || values.length !== count)
      inputFail(
        'corrupt',
        `${where}: chunked data decoded to ${Array.isArray(values) ? values.length : 0} values, the shape needs ${fmtInt(count)}`,
      );
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const v: unknown = values[i];
      if (typeof v !== 'number')
        inputFail(
          'corrupt',
          `${where}: chunked data is missing value ${fmtInt(i)} of ${fmtInt(count)} (a chunk is absent or misplaced)`,
        );
      out[i] = v;
    }
    return out;
  }
}
