/**
 * Types for the parts of jsfive 0.4.2 (pure-JS HDF5 reader, no bundled types) that src/io/hdf5.ts
 * uses. Members starting with `_` are jsfive internals, not public API: hdf5.ts reads them to
 * locate raw data itself (faster, and bounds-checked) and to validate chunk/filter parameters
 * before jsfive acts on them. They are pinned by the exact jsfive version in package.json.
 */
declare module 'jsfive' {
  /** A header message: Map with 'type', 'size', 'flags', 'offset_to_message' (absolute file offset of its body). */
  type HeaderMessage = Map<string, number>;

  interface DataObjects {
    readonly offset: number;
    readonly msgs: HeaderMessage[];
    find_msg_type(type: number): HeaderMessage[];
    /** Chunk shape (rank entries) or null when not chunked; parses the layout message on first use. */
    readonly chunks: number[] | null;
    /** Filter descriptions (Map with 'filter_id', 'client_data'...) or null without a pipeline. */
    readonly filter_pipeline: Map<string, unknown>[] | null;
  }

  export class Group {
    readonly name: string;
    readonly keys: string[];
    readonly attrs: Record<string, unknown>;
    /** Link name → object header address (hard link) or target path (soft link). */
    readonly _links: Record<string, number | string>;
    readonly _dataobjects: DataObjects;
    get(path: string): Group | Dataset | null;
  }

  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }

  export class Dataset {
    readonly name: string;
    readonly shape: number[];
    readonly dtype: string | unknown[];
    /** All elements, row-major, as a plain Array (holes where chunks are missing). */
    readonly value: unknown;
    readonly attrs: Record<string, unknown>;
    readonly _dataobjects: DataObjects;
  }

  /** HDF5 filter id → decoder (ArrayBuffer in, ArrayBuffer out); mutable by design ("register a new filter"). */
  export const Filters: Map<number, (buf: ArrayBuffer, itemsize: number, clientData: unknown) => ArrayBuffer>;
}
