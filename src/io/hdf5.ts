/**
 * Read-only HDF5 access for the Keras readers: navigate groups, read string attributes, read
 * numeric datasets as float32. jsfive parses the file's structure (superblock, object headers,
 * groups, attributes, chunk B-trees), always inside a Meter guard (jsfiveGuard.ts), which turns
 * its failures into InputErrors and stops runaway walks on corrupt files.
 * Dataset values are located and decoded by hdf5Messages.ts from our own bounds-checked reads;
 * chunked data too (readChunked walks the chunk B-tree itself and decodes into one preallocated
 * Float32Array; jsfive's Dataset.value, which builds a plain Array of every element, is not used). Object names from the file are checked before jsfive's get() sees them ('/', '.',
 * '' and prototype keys such as 'constructor' would make it walk elsewhere).
 */
import type * as hdf5 from 'jsfive';
import { decodeElements, isFloatKind, type ElementType } from './dtypes';
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
import { checkFilters, jsfive, Meter } from './jsfiveGuard';
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
/** jsfive's value for an address never written (2^64 − 1, beyond a double's integers). */
const UNDEFINED_ADDRESS = 2 ** 64;
/**
 * What the chunked (compressed) datasets of one file may decode to, in all: the sizes their chunk
 * indexes declare × this ratio, at least CHUNKED_FREE_BYTES — as for zip entries (zip.ts). Weights
 * compress ~1.1:1; Keras never compresses them; a file over the limit is re-saved without
 * compression.
 */
export const MAX_CHUNKED_RATIO = 100;
const CHUNKED_FREE_BYTES = 64 * 1024 * 1024;
const MAX_ATTR_PARTS = 10_000;

function validName(name: string): boolean {
  // jsfive's get() treats '/', '.' and '' specially; such link names only occur in corrupt files
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/');
}

export class H5File {
  /** Stored and decoded bytes of the chunked datasets read so far (MAX_CHUNKED_RATIO). */
  private chunkedStored = 0;
  private chunkedDecoded = 0;
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
    const root = meter.guard('superblock and root group', () => new (jsfive().File)(meter.buffer, file));
    return new H5File(bytes, file, meter, root);
  }

  private object(path: string): hdf5.Group | hdf5.Dataset {
    const hit = this.cache.get(path);
    if (hit) return hit;
    const cut = path.lastIndexOf('/');
    const parentPath = cut < 0 ? '' : path.slice(0, cut);
    const name = path.slice(cut + 1);
    const parent = this.object(parentPath);
    if (!(parent instanceof jsfive().Group))
      inputFail('corrupt', `${this.file}: '${printable(parentPath)}' is a dataset, not a group`);
    if (!validName(name) || !Object.hasOwn(parent._links, name))
      inputFail('corrupt', `${this.file}: no object '${printable(path)}' in the HDF5 file`);
    if (typeof parent._links[name] !== 'number')
      inputFail('unsupported', `${this.file}: '${printable(path)}' is a soft or external link, which is not supported`);
    const obj = this.meter.guard(`object '${printable(path)}'`, () => parent.get(name));
    if (!(obj instanceof jsfive().Group) && !(obj instanceof jsfive().Dataset))
      inputFail('corrupt', `${this.file}: object '${printable(path)}' could not be opened`);
    this.cache.set(path, obj);
    return obj;
  }

  /** True when `path` names a member (its parent must exist). */
  has(path: string): boolean {
    const cut = path.lastIndexOf('/');
    const parent = this.object(cut < 0 ? '' : path.slice(0, cut));
    const name = path.slice(cut + 1);
    return parent instanceof jsfive().Group && validName(name) && Object.hasOwn(parent._links, name);
  }

  isGroup(path: string): boolean {
    return this.object(path) instanceof jsfive().Group;
  }

  /** Hard-linked children in address (= creation) order; soft links and odd names are skipped. */
  list(path: string): H5Child[] {
    const group = this.object(path);
    if (!(group instanceof jsfive().Group))
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
      out.push({ name, kind: this.object(child) instanceof jsfive().Group ? 'group' : 'dataset', address: target });
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
    if (!(ds instanceof jsfive().Dataset))
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
    return { shape, data: this.readChunked(ds, path, where, shape, count, type), dtype, nonFloat };
  }

  /**
   * Chunked data, read without jsfive's assembler (which builds a plain Array of every element):
   * the chunk B-tree is walked here (each node once, every address and size checked against the
   * file), each chunk is decoded through the filter pipeline (gzip capped at the chunk's size) and
   * copied straight into one Float32Array of the dataset's size, allocated up front. Every chunk
   * must sit on the chunk grid, once, and together they must cover the dataset.
   */
  private readChunked(
    ds: hdf5.Dataset,
    path: string,
    where: string,
    shape: number[],
    count: number,
    type: ElementType,
  ): Float32Array {
    const what = `chunked data of '${printable(path)}'`;
    const pipeline = this.meter.guard(what, () => ds._dataobjects.filter_pipeline) ?? [];
    checkFilters(where, pipeline);
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
    // a chunk may overhang the dataset's edge, but not by orders of magnitude
    if (chunkElements > Math.max(4 * count, 65536))
      inputFail(
        'corrupt',
        `${where}: chunk shape [${chunks.join(', ')}] is far larger than the dataset [${shape.join(', ')}]`,
      );
    if (count === 0) return new Float32Array(0);
    const chunkBytes = chunkElements * type.size;
    const params = this.meter.guard(what, () => {
      const d = ds._dataobjects as unknown as { _chunk_address?: unknown; _chunk_dims?: unknown };
      return { address: d._chunk_address, dims: d._chunk_dims };
    });
    const rank = shape.length;
    if (rank === 0 || params.dims !== rank + 1 || typeof params.address !== 'number')
      inputFail('corrupt', `${where}: chunk index parameters do not fit the dataset`);
    const r = new ByteReader(this.bytes, `${where}: chunk index`);
    const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
    const grid = shape.map((d, i) => Math.ceil(d / chunks[i]!));
    const gridCells = grid.reduce((a, b) => a * b, 1);
    const seenChunks = new Set<number>();
    const seenNodes = new Set<number>();
    let written = 0;
    const keySize = 8 + 8 * (rank + 1);
    type Chunk = { stored: number; filterMask: number; offsets: number[]; address: number };
    const found: Chunk[] = [];
    /** A chunk of the index, checked (on the grid, once, inside the file) but not decoded. */
    const collect = (chunkSize: number, filterMask: number, offsets: number[], address: number): void => {
      // the chunk's cell on the grid, once
      let cell = 0;
      for (let i = 0; i < rank; i++) {
        const o = offsets[i]!;
        if (o % chunks[i]! !== 0 || o >= shape[i]!)
          inputFail('corrupt', `${where}: a chunk at [${offsets.slice(0, rank).join(', ')}] is off the chunk grid`);
        cell = cell * grid[i]! + o / chunks[i]!;
      }
      if (seenChunks.has(cell))
        inputFail('corrupt', `${where}: the chunk at [${offsets.slice(0, rank).join(', ')}] is stored twice`);
      seenChunks.add(cell);
      const stored = pipeline.length ? chunkSize : chunkBytes;
      r.check(address, stored, 'chunk data');
      found.push({ stored, filterMask, offsets, address });
    };
    const place = ({ stored, filterMask, offsets, address }: Chunk): void => {
      let buf: ArrayBuffer = this.bytes.slice(address, address + stored).buffer;
      if (pipeline.length)
        buf = this.meter.chunked(what, 0, chunkBytes, 0, () => {
          let b = buf;
          for (let f = pipeline.length - 1; f >= 0; f--) {
            if (filterMask & (1 << f)) continue;
            const entry = pipeline[f]!;
            b = jsfive().Filters.get(entry.get('filter_id') as number)!(b, type.size, entry.get('client_data'));
          }
          return b;
        });
      if (buf.byteLength < chunkBytes)
        inputFail(
          'corrupt',
          `${where}: a chunk decodes to ${fmtInt(buf.byteLength)} bytes, the chunk shape needs ${fmtInt(chunkBytes)}`,
        );
      const values = decodeElements(new Uint8Array(buf), 0, chunkElements, type);
      // copy row by row (the last axis), clipped at the dataset's edge
      const last = rank - 1;
      const rowLen = Math.min(chunks[last]!, shape[last]! - offsets[last]!);
      const rows = chunkElements / chunks[last]!;
      const pos = new Array<number>(rank).fill(0);
      for (let row = 0; row < rows; row++) {
        let inside = true;
        let at = offsets[last]!;
        for (let i = 0; i < last; i++) {
          const p = offsets[i]! + pos[i]!;
          if (p >= shape[i]!) inside = false;
          at += p * strides[i]!;
        }
        if (inside) {
          out.set(values.subarray(row * chunks[last]!, row * chunks[last]! + rowLen), at);
          written += rowLen;
        }
        for (let i = last - 1; i >= 0; i--) {
          if (++pos[i]! < chunks[i]!) break;
          pos[i] = 0;
        }
      }
    };
    const visit = (node: number, depth: number): void => {
      if (seenNodes.has(node) || depth > 64 || seenNodes.size > 4 * gridCells + 64)
        inputFail('corrupt', `${where}: the chunk index (B-tree) loops or is far larger than the dataset`);
      seenNodes.add(node);
      r.check(node, 24, 'B-tree node');
      if (String.fromCharCode(...this.bytes.subarray(node, node + 4)) !== 'TREE' || r.u8(node + 4, 'B-tree node') !== 1)
        inputFail('corrupt', `${where}: the chunk index has no raw-data B-tree node at offset ${fmtInt(node)}`);
      const level = r.u8(node + 5, 'B-tree node');
      const used = r.u16(node + 6, 'B-tree node');
      r.check(node + 24, used * (keySize + 8) + keySize, 'B-tree entries');
      for (let i = 0; i < used; i++) {
        const key = node + 24 + i * (keySize + 8);
        const child = r.u64(key + keySize, 'B-tree child address');
        if (child === null) inputFail('corrupt', `${where}: the chunk index has an undefined child address`);
        if (level > 0) visit(child, depth + 1);
        else {
          const offsets: number[] = [];
          for (let d = 0; d <= rank; d++) {
            const o = r.u64(key + 8 + 8 * d, 'chunk offset');
            if (o === null || !Number.isSafeInteger(o)) inputFail('corrupt', `${where}: a chunk has an invalid offset`);
            offsets.push(o);
          }
          collect(r.u32(key, 'chunk size'), r.u32(key + 4, 'chunk filter mask'), offsets, child);
        }
      }
    };
    if (params.address !== UNDEFINED_ADDRESS) visit(params.address, 0);
    // the stored sizes the index declares against what they decode to, before anything is decoded
    const stored = found.reduce((n, c) => n + c.stored, 0);
    const decoded = count * type.size;
    const budget = Math.max(CHUNKED_FREE_BYTES, MAX_CHUNKED_RATIO * (this.chunkedStored + stored));
    if (this.chunkedDecoded + decoded > budget)
      inputFail(
        'too-large',
        `${where}: ${fmtInt(stored)} bytes of chunks would decode to ${fmtInt(decoded)}; compressed datasets may decode to ${MAX_CHUNKED_RATIO} times their stored size (${fmtInt(budget)} bytes in all here); re-save the weights without compression`,
      );
    this.chunkedStored += stored;
    this.chunkedDecoded += decoded;
    const out = new Float32Array(count);
    for (const c of found) place(c);
    if (written !== count)
      inputFail(
        'corrupt',
        `${where}: the chunks hold ${fmtInt(written)} of the ${fmtInt(count)} values the shape needs (a chunk is absent or misplaced)`,
      );
    return out;
  }
}
