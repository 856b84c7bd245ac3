/**
 * ONNX TensorProto → values. Floating types (float32, float16, bfloat16, double) become float32;
 * integer and boolean types become plain numbers (shapes, axes, pads). The data comes from
 * raw_data (little-endian) or from the typed field the type calls for. Every declared size is
 * checked against the caps and against the bytes present before anything is allocated; data kept
 * in another file (data_location EXTERNAL) is refused with how to save the model without it.
 */
import { halfToFloat } from '../../io/npy';
import { fmtBytes, fmtInt, inputFail } from '../../io/errors';
import { printable, type ElementBudget } from '../../io/weightLimits';
import { getMaxElements } from '../../engine/tensor';
import { int, type OnnxTensorProto } from './proto';

/** A constant: an initializer, a Constant node, or a value folded from them. */
export interface ConstTensor {
  dims: number[];
  /** Float32Array for floating types; numbers for integers and booleans. */
  data: Float32Array | number[];
  int: boolean;
  /**
   * Per element, the name of a size not known until run time that the element stands for (the
   * symbolic batch of a Shape of the input); absent when every element is a plain number.
   */
  sym?: (string | null)[];
}

/** TensorProto.DataType values ConvLens reads, with their byte sizes in raw_data. */
const DTYPES: Record<number, { name: string; bytes: number; float: boolean }> = {
  1: { name: 'float32', bytes: 4, float: true },
  2: { name: 'uint8', bytes: 1, float: false },
  3: { name: 'int8', bytes: 1, float: false },
  4: { name: 'uint16', bytes: 2, float: false },
  5: { name: 'int16', bytes: 2, float: false },
  6: { name: 'int32', bytes: 4, float: false },
  7: { name: 'int64', bytes: 8, float: false },
  9: { name: 'bool', bytes: 1, float: false },
  10: { name: 'float16', bytes: 2, float: true },
  11: { name: 'double', bytes: 8, float: true },
  12: { name: 'uint32', bytes: 4, float: false },
  13: { name: 'uint64', bytes: 8, float: false },
  16: { name: 'bfloat16', bytes: 2, float: true },
};

export function isFloatType(dataType: number): boolean {
  return DTYPES[dataType]?.float ?? false;
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Refuses a folded constant over the element cap (ConstantOfShape of a huge shape). */
export function checkElements(file: string, what: string, n: number): void {
  const cap = getMaxElements();
  if (!(n <= cap))
    inputFail('too-large', `${file}: ${what} would have ${fmtInt(n)} elements, over the limit of ${fmtInt(cap)}`);
}

function bf16ToFloat(h: number): number {
  const f = new Float32Array(new Uint32Array([h << 16]).buffer);
  return f[0]!;
}

function readRaw(raw: Uint8Array, dataType: number, n: number): Float32Array | number[] {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (dataType) {
    case 1: {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = v.getFloat32(4 * i, true);
      return out;
    }
    case 10:
    case 16: {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const h = v.getUint16(2 * i, true);
        out[i] = dataType === 10 ? halfToFloat(h) : bf16ToFloat(h);
      }
      return out;
    }
    case 11: {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = v.getFloat64(8 * i, true);
      return out;
    }
    default: {
      const out = new Array<number>(n);
      for (let i = 0; i < n; i++) {
        out[i] =
          dataType === 2 || dataType === 9
            ? v.getUint8(i)
            : dataType === 3
              ? v.getInt8(i)
              : dataType === 4
                ? v.getUint16(2 * i, true)
                : dataType === 5
                  ? v.getInt16(2 * i, true)
                  : dataType === 6
                    ? v.getInt32(4 * i, true)
                    : dataType === 12
                      ? v.getUint32(4 * i, true)
                      : dataType === 7
                        ? Number(v.getBigInt64(8 * i, true))
                        : Number(v.getBigUint64(8 * i, true));
      }
      return out;
    }
  }
}

/** The typed field a type's values live in when raw_data is empty, converted. */
function readTyped(t: OnnxTensorProto): Float32Array | number[] {
  switch (t.dataType) {
    case 1:
      return Float32Array.from(t.floatData);
    case 10:
      return Float32Array.from(t.int32Data, (h) => halfToFloat(h & 0xffff));
    case 16:
      return Float32Array.from(t.int32Data, (h) => bf16ToFloat(h & 0xffff));
    case 11:
      return Float32Array.from(t.doubleData);
    case 7:
      return t.int64Data.map(int);
    case 12:
    case 13:
      return t.uint64Data.map(int);
    default:
      return [...t.int32Data];
  }
}

function typedLength(t: OnnxTensorProto): number {
  switch (t.dataType) {
    case 1:
      return t.floatData.length;
    case 11:
      return t.doubleData.length;
    case 7:
      return t.int64Data.length;
    case 12:
    case 13:
      return t.uint64Data.length;
    default:
      return t.int32Data.length;
  }
}

/**
 * A TensorProto's values. `budget` holds the per-tensor and per-file element caps; `what` names
 * the tensor in messages ("initializer 'conv1.weight'", "attribute 'value' of node 'c'").
 */
export function decodeTensor(t: OnnxTensorProto, file: string, what: string, budget: ElementBudget): ConstTensor {
  if (t.dataLocation === 1)
    inputFail(
      'unsupported',
      `${file}: ${what} is stored in a separate file (ONNX external data), which ConvLens does not read; save the model with its weights inside: torch.onnx.export(..., external_data=False) or onnx.save(model, path, save_as_external_data=False)`,
    );
  const dtype = DTYPES[t.dataType];
  if (!dtype) inputFail('unsupported', `${file}: ${what} has element type ${t.dataType}, which ConvLens does not read`);
  const dims = t.dims.map(int);
  const n = budget.take(printable(t.name || what), dims);
  let data: Float32Array | number[];
  if (t.rawData.length > 0) {
    const need = n * dtype.bytes;
    if (t.rawData.length !== need)
      inputFail(
        t.rawData.length < need ? 'truncated' : 'corrupt',
        `${file}: ${what} of shape [${dims.join(', ')}] (${dtype.name}) needs ${fmtBytes(need)} of data but holds ${fmtBytes(t.rawData.length)}`,
      );
    data = readRaw(t.rawData, t.dataType, n);
  } else {
    const have = typedLength(t);
    if (have !== n)
      inputFail(
        have < n ? 'truncated' : 'corrupt',
        `${file}: ${what} of shape [${dims.join(', ')}] declares ${fmtInt(n)} values but holds ${fmtInt(have)}`,
      );
    data = readTyped(t);
  }
  return { dims, data, int: !dtype.float };
}
