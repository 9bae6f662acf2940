/**
 * A tiny ONNX graph builder: nodes and float initializers in, a serialised `ModelProto` out.
 * Only the part of onnx.proto that an inference graph of convolutions needs (field numbers
 * as in onnx/onnx.proto, IR version 8, opset 13), encoded with protobufjs.
 */
import protobuf from 'protobufjs';

/** A node attribute: an int, a float or a list of ints. */
export type OnnxAttribute = number | readonly number[] | { float: number };

/** One graph node, e.g. `{ op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['y'], attributes: {...} }`. */
export interface OnnxNode {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Readonly<Record<string, OnnxAttribute>>;
}

/** A float32 constant of the graph (weights, biases). */
export interface OnnxInitializer {
  name: string;
  dims: readonly number[];
  data: Float32Array;
}

/** A graph input or output: name and shape (a string is a symbolic dimension). */
export interface OnnxValue {
  name: string;
  shape: readonly (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxInitializer[];
  inputs: readonly OnnxValue[];
  outputs: readonly OnnxValue[];
}

const ONNX_SCHEMA = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
          },
        },
        OperatorSetIdProto: {
          fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            type: { type: 'int32', id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
          },
        },
        ValueInfoProto: {
          fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } },
        },
        TypeProto: { fields: { tensorType: { type: 'TensorTypeProto', id: 1 } } },
        TensorTypeProto: {
          fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } },
        },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
        Dimension: {
          fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } },
        },
      },
    },
  },
};

/** onnx.TensorProto.DataType.FLOAT and onnx.AttributeProto.AttributeType values. */
const FLOAT = 1;
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

let modelType: protobuf.Type | undefined;

function attributeMessage(name: string, value: OnnxAttribute): Record<string, unknown> {
  if (typeof value === 'number') return { name, type: ATTRIBUTE_INT, i: value };
  if ('float' in value) return { name, type: ATTRIBUTE_FLOAT, f: value.float };
  return { name, type: ATTRIBUTE_INTS, ints: [...value] };
}

function valueMessage(value: OnnxValue): Record<string, unknown> {
  return {
    name: value.name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: {
          dim: value.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

/** Pure: the serialised ONNX model of `graph` (little-endian float32 initializers). */
export function encodeOnnxModel(graph: OnnxGraph): Uint8Array {
  modelType ??= protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');
  const message = modelType.fromObject({
    irVersion: 8,
    producerName: 'hivelab',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: graph.name,
      node: graph.nodes.map((node, i) => ({
        name: `${node.op.toLowerCase()}_${i}`,
        opType: node.op,
        input: [...node.inputs],
        output: [...node.outputs],
        attribute: Object.entries(node.attributes ?? {}).map(([name, value]) =>
          attributeMessage(name, value),
        ),
      })),
      initializer: graph.initializers.map((init) => ({
        name: init.name,
        dims: [...init.dims],
        dataType: FLOAT,
        rawData: new Uint8Array(init.data.buffer, init.data.byteOffset, init.data.byteLength),
      })),
      input: graph.inputs.map(valueMessage),
      output: graph.outputs.map(valueMessage),
    },
  });
  return modelType.encode(message).finish();
}
