/**
 * The part of onnx.proto ConvLens reads, decoded with protobufjs: ModelProto → GraphProto →
 * NodeProto / AttributeProto / TensorProto / ValueInfoProto, with the field numbers of the
 * official schema. Fields left out are skipped by the decoder without being looked at: subgraph
 * attributes (If/Loop bodies), sparse tensors, training info, functions, and every TypeProto but
 * the tensor type. So the schema has no recursion, and a file nesting subgraphs thousands deep
 * costs one skip per byte, not a stack frame per level.
 *
 * Before decoding, the graph's nodes and initializers are counted from the wire (no objects
 * made), so a file of a million tiny nodes is refused before it is built (MAX_NODES).
 */
import { fmtInt, inputFail } from '../../io/errors';
import { MAX_TENSORS } from '../../io/weightLimits';
import type protobufLight from 'protobufjs/light';

import { once } from '../../shared/once';

/** protobufjs, loaded when an ONNX file is first read (evaluating it costs every start otherwise). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, on purpose
const protobuf = once(() => require('protobufjs/light') as typeof protobufLight);

/** The most nodes a graph may have; more is refused before decoding. */
export const MAX_NODES = 100_000;

const STRING_PAIR = { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } };

const SCHEMA = {
  nested: {
    onnx: {
      nested: {
        StringStringEntryProto: { fields: STRING_PAIR },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
              fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } },
            },
          },
        },
        TypeProto: {
          fields: { tensorType: { type: 'Tensor', id: 1 } },
          nested: {
            Tensor: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
          },
        },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            floatData: { rule: 'repeated', type: 'float', id: 4, options: { packed: true } },
            int32Data: { rule: 'repeated', type: 'int32', id: 5, options: { packed: true } },
            int64Data: { rule: 'repeated', type: 'int64', id: 7, options: { packed: true } },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
            doubleData: { rule: 'repeated', type: 'double', id: 10, options: { packed: true } },
            uint64Data: { rule: 'repeated', type: 'uint64', id: 11, options: { packed: true } },
            externalData: { rule: 'repeated', type: 'StringStringEntryProto', id: 13 },
            dataLocation: { type: 'int32', id: 14 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            floats: { rule: 'repeated', type: 'float', id: 7, options: { packed: true } },
            ints: { rule: 'repeated', type: 'int64', id: 8, options: { packed: true } },
            strings: { rule: 'repeated', type: 'bytes', id: 9 },
            type: { type: 'int32', id: 20 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            domain: { type: 'string', id: 7 },
          },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
            valueInfo: { rule: 'repeated', type: 'ValueInfoProto', id: 13 },
          },
        },
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            modelVersion: { type: 'int64', id: 5 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
          },
        },
      },
    },
  },
};

/** An int64 as protobufjs gives it: a number, or a Long when the long package is present. */
type Int64 = number | { toNumber(): number };

export interface OnnxTensorProto {
  dims: Int64[];
  dataType: number;
  floatData: number[];
  int32Data: number[];
  int64Data: Int64[];
  name: string;
  rawData: Uint8Array;
  doubleData: number[];
  uint64Data: Int64[];
  dataLocation: number;
}

export interface OnnxAttribute {
  name: string;
  type: number;
  f: number;
  i: Int64;
  s: Uint8Array;
  t: OnnxTensorProto | null;
  floats: number[];
  ints: Int64[];
  strings: Uint8Array[];
}

export interface OnnxNode {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute: OnnxAttribute[];
  domain: string;
}

export interface OnnxDimension {
  dimValue?: Int64;
  dimParam?: string;
  value?: 'dimValue' | 'dimParam';
}

export interface OnnxValueInfo {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: OnnxDimension[] } | null } | null } | null;
}

export interface OnnxGraph {
  node: OnnxNode[];
  name: string;
  initializer: OnnxTensorProto[];
  input: OnnxValueInfo[];
  output: OnnxValueInfo[];
  valueInfo: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: Int64;
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: Int64;
  graph: OnnxGraph | null;
  opsetImport: { domain: string; version: Int64 }[];
  metadataProps: { key: string; value: string }[];
}

/** Attribute types of AttributeProto.type. */
export const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

let modelType: protobufLight.Type | null = null;

function modelProto(): protobufLight.Type {
  modelType ??= protobuf().Root.fromJSON(SCHEMA).lookupType('onnx.ModelProto');
  return modelType;
}

/** An int64 field as a number (values beyond 2^53 lose precision, as INT64_MAX slice ends may). */
export function int(v: Int64): number {
  return typeof v === 'number' ? v : v.toNumber();
}

/**
 * The sub-message of field `field` (wire type 2) at the top level of `bytes`, and how many times
 * each of `count`'s fields occurs there: read from the wire, nothing decoded.
 */
function scan(
  bytes: Uint8Array,
  field: number,
  count: readonly number[],
): { sub: Uint8Array | null; counts: number[] } {
  const r = protobuf().Reader.create(bytes);
  const counts = count.map(() => 0);
  let sub: Uint8Array | null = null;
  while (r.pos < r.len) {
    const tag = r.uint32();
    const f = tag >>> 3;
    const wire = tag & 7;
    if (wire === 2) {
      const len = r.uint32();
      if (r.pos + len > r.len) throw new RangeError('length beyond the end');
      if (f === field) sub = bytes.subarray(r.pos, r.pos + len);
      const k = count.indexOf(f);
      if (k >= 0) counts[k]!++;
      r.pos += len;
    } else r.skipType(wire);
  }
  return { sub, counts };
}

/** Decodes a ModelProto; a file that is not one is an InputError ('corrupt') naming the file. */
export function decodeModel(bytes: Uint8Array, file: string): OnnxModel {
  let counts: number[];
  try {
    const graph = scan(bytes, 7, []).sub;
    counts = graph ? scan(graph, -1, [1, 5]).counts : [0, 0];
  } catch {
    inputFail('corrupt', `${file}: not an ONNX model (the protobuf encoding is broken or truncated)`);
  }
  if (counts[0]! > MAX_NODES)
    inputFail(
      'too-large',
      `${file}: the graph has ${fmtInt(counts[0]!)} nodes, over the limit of ${fmtInt(MAX_NODES)}`,
    );
  if (counts[1]! > MAX_TENSORS)
    inputFail(
      'too-large',
      `${file}: the graph has ${fmtInt(counts[1]!)} initializers, over the limit of ${fmtInt(MAX_TENSORS)}`,
    );
  try {
    return modelProto().decode(bytes) as unknown as OnnxModel;
  } catch {
    inputFail('corrupt', `${file}: not an ONNX model (the protobuf encoding is broken or truncated)`);
  }
}
