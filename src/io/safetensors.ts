/**
 * safetensors reader, as strict as the reference (Rust) implementation: 8-byte little-endian
 * header length, a UTF-8 JSON header {name: {dtype, shape, data_offsets}, "__metadata__"?: {str:
 * str}}, then one data section that the tensors' byte ranges must tile exactly — sorted, no gap,
 * no overlap, ending at the end of the file — with each range exactly shape-product × itemsize.
 * Anything else is an InputError naming the tensor and the numbers that disagree; a lenient
 * reader would hand the engine shifted or partial weights.
 * Names follow PyTorch's state_dict: layer = name without its last dot segment, param = that
 * segment ('features.0.weight' → 'features.0' / 'weight').
 */
import { decodeElements, isFloatKind, type ElementType } from './dtypes';
import { fmtBytes, fmtInt, inputFail } from './errors';
import { ElementBudget, shapeText } from './weightLimits';
import type { WeightFile, WeightTensor } from './weightFile';

export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

const DTYPES: Record<string, ElementType> = {
  F64: { kind: 'float', size: 8, littleEndian: true },
  F32: { kind: 'float', size: 4, littleEndian: true },
  F16: { kind: 'float', size: 2, littleEndian: true },
  BF16: { kind: 'bfloat', size: 2, littleEndian: true },
  I64: { kind: 'int', size: 8, littleEndian: true },
  I32: { kind: 'int', size: 4, littleEndian: true },
  I16: { kind: 'int', size: 2, littleEndian: true },
  I8: { kind: 'int', size: 1, littleEndian: true },
  U64: { kind: 'uint', size: 8, littleEndian: true },
  U32: { kind: 'uint', size: 4, littleEndian: true },
  U16: { kind: 'uint', size: 2, littleEndian: true },
  U8: { kind: 'uint', size: 1, littleEndian: true },
  BOOL: { kind: 'bool', size: 1, littleEndian: true },
};

interface Entry {
  name: string;
  dtype: string;
  type: ElementType;
  shape: number[];
  begin: number;
  end: number;
  elements: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}

/** Returns the parsed header and where the data section starts. */
function readHeader(bytes: Uint8Array, file: string): { header: Record<string, unknown>; dataStart: number } {
  if (bytes.length < 8)
    inputFail(
      'truncated',
      `${file}: truncated safetensors file: ${fmtBytes(bytes.length)}, the header length alone takes 8`,
    );
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES))
    inputFail(
      'too-large',
      `${file}: safetensors header length ${fmtInt(Number(n))} bytes is over the limit of ${fmtBytes(MAX_HEADER_BYTES)} (100 MB; corrupt file?)`,
    );
  const size = Number(n);
  if (8 + size > bytes.length)
    inputFail(
      'truncated',
      `${file}: safetensors header of ${fmtBytes(size)} runs past the end of the file (${fmtBytes(bytes.length)})`,
    );
  if (size === 0 || bytes[8] !== 0x7b) inputFail('corrupt', `${file}: safetensors header does not start with '{'`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + size));
  } catch {
    inputFail('corrupt', `${file}: safetensors header is not valid UTF-8`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    inputFail(
      'corrupt',
      `${file}: safetensors header is not valid JSON (${e instanceof Error ? e.message.slice(0, 120) : 'parse error'})`,
    );
  }
  if (!isRecord(json)) inputFail('corrupt', `${file}: safetensors header must be a JSON object`);
  return { header: json, dataStart: 8 + size };
}

function parseEntry(file: string, name: string, info: unknown, budget: ElementBudget): Entry {
  const where = `${file}: tensor ${quote(name)}`;
  if (!isRecord(info)) inputFail('corrupt', `${where}: header entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = info;
  if (typeof dtype !== 'string') inputFail('corrupt', `${where}: missing "dtype" string`);
  const type = DTYPES[dtype];
  if (!type)
    inputFail(
      'unsupported',
      `${where}: dtype ${quote(dtype)} is not supported (supported: ${Object.keys(DTYPES).join(', ')})`,
    );
  if (!Array.isArray(shape)) inputFail('corrupt', `${where}: missing "shape" array`);
  const elements = budget.take(name, shape);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    inputFail(
      'corrupt',
      `${where}: "data_offsets" must be two non-negative integers, got ${JSON.stringify(offsets)?.slice(0, 80)}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) inputFail('corrupt', `${where}: data_offsets [${begin}, ${end}] end before they begin`);
  if (elements * type.size !== end - begin) {
    inputFail(
      'corrupt',
      `${where}: shape ${shapeText(shape as number[])} × ${type.size}-byte ${dtype} = ${fmtBytes(elements * type.size)}, but data_offsets [${begin}, ${end}] span ${fmtBytes(end - begin)}`,
    );
  }
  return { name, dtype, type, shape: shape as number[], begin, end, elements };
}

function parseMetadata(file: string, value: unknown): Record<string, string> {
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    inputFail('corrupt', `${file}: safetensors "__metadata__" must map strings to strings`);
  }
  return value as Record<string, string>;
}

export function readSafetensors(bytes: Uint8Array, file: string): WeightFile {
  const { header, dataStart } = readHeader(bytes, file);
  const dataLength = bytes.length - dataStart;
  const budget = new ElementBudget(file);
  let metadata: Record<string, string> | undefined;
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') metadata = parseMetadata(file, info);
    else entries.push(parseEntry(file, name, info, budget));
  }
  // file order = data order; also the order in which tiling is checked
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of entries) {
    if (e.begin < expected) {
      const prev = entries[entries.indexOf(e) - 1]!;
      inputFail(
        'corrupt',
        `${file}: tensors ${quote(prev.name)} [${prev.begin}, ${prev.end}] and ${quote(e.name)} [${e.begin}, ${e.end}] overlap in the data section`,
      );
    }
    if (e.begin > expected)
      inputFail(
        'corrupt',
        `${file}: data bytes [${expected}, ${e.begin}) before tensor ${quote(e.name)} belong to no tensor`,
      );
    expected = e.end;
  }
  if (expected < dataLength)
    inputFail(
      'corrupt',
      `${file}: the tensors cover ${fmtBytes(expected)} of the ${fmtBytes(dataLength)} data section; the rest belongs to no tensor`,
    );
  if (expected > dataLength) {
    inputFail(
      'truncated',
      `${file}: truncated: the header describes ${fmtBytes(expected)} of tensor data but only ${fmtBytes(dataLength)} follow it`,
    );
  }
  const tensors = entries.map((e): WeightTensor => {
    const dot = e.name.lastIndexOf('.');
    const t: WeightTensor = {
      name: e.name,
      layer: dot < 0 ? '' : e.name.slice(0, dot),
      param: dot < 0 ? e.name : e.name.slice(dot + 1),
      shape: e.shape.slice(),
      data: decodeElements(bytes, dataStart + e.begin, e.elements, e.type),
      dtype: e.dtype,
    };
    if (!isFloatKind(e.type.kind)) t.nonFloat = true;
    return t;
  });
  return metadata ? { format: 'safetensors', tensors, metadata } : { format: 'safetensors', tensors };
}
