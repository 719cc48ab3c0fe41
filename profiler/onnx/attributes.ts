import type { AttributeProto, GraphProto, NodeProto, TensorProto } from './onnx-types';

/** AttributeProto.AttributeType numbers from onnx.proto. */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
} as const;

/** An attribute's type and value without its name; `node()` adds the name from its record key. */
export type AttributeValue = Omit<AttributeProto, 'name'>;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

function checkInteger(value: number): number {
  if (!Number.isInteger(value)) throw new RangeError(`an INT attribute needs an integer, got ${value}`);
  return value;
}

/**
 * Attribute encoders. ONNX keeps ints and floats apart (1 and 1.0 are different attributes to a
 * kernel), so every value says which it is: `{ axis: attr.int(-1), epsilon: attr.float(1e-6) }`.
 */
export const attr = {
  int: (value: number): AttributeValue => ({ type: AttributeType.INT, i: checkInteger(value) }),
  /** stored as float32 */
  float: (value: number): AttributeValue => ({ type: AttributeType.FLOAT, f: value }),
  string: (value: string): AttributeValue => ({ type: AttributeType.STRING, s: utf8Encoder.encode(value) }),
  ints: (values: readonly number[]): AttributeValue => ({
    type: AttributeType.INTS,
    ints: values.map(checkInteger),
  }),
  floats: (values: readonly number[]): AttributeValue => ({
    type: AttributeType.FLOATS,
    floats: [...values],
  }),
  strings: (values: readonly string[]): AttributeValue => ({
    type: AttributeType.STRINGS,
    strings: values.map((value) => utf8Encoder.encode(value)),
  }),
  tensor: (value: TensorProto): AttributeValue => ({ type: AttributeType.TENSOR, t: value }),
  graph: (value: GraphProto): AttributeValue => ({ type: AttributeType.GRAPH, g: value }),
};

/** A decoded attribute as a JS value: strings decoded from UTF-8, float values as read (float32). */
export type AttributeJsValue =
  number | string | number[] | string[] | TensorProto | TensorProto[] | GraphProto;

/** The value of an attribute by its `type` discriminator. */
export function attributeValue(attribute: AttributeProto): AttributeJsValue {
  switch (attribute.type) {
    case AttributeType.FLOAT:
      return attribute.f ?? 0;
    case AttributeType.INT:
      return attribute.i ?? 0;
    case AttributeType.STRING:
      return utf8Decoder.decode(attribute.s ?? new Uint8Array());
    case AttributeType.FLOATS:
      return attribute.floats ?? [];
    case AttributeType.INTS:
      return attribute.ints ?? [];
    case AttributeType.STRINGS:
      return (attribute.strings ?? []).map((bytes) => utf8Decoder.decode(bytes));
    case AttributeType.TENSOR:
      if (attribute.t) return attribute.t;
      break;
    case AttributeType.TENSORS:
      return attribute.tensors ?? [];
    case AttributeType.GRAPH:
      if (attribute.g) return attribute.g;
      break;
  }
  throw new RangeError(
    `attribute "${attribute.name ?? ''}" has type ${attribute.type ?? 'unset'}, which this reader does not decode`,
  );
}

/** A node's attributes by name, decoded. */
export function nodeAttributes(node: NodeProto): Record<string, AttributeJsValue> {
  return Object.fromEntries(
    node.attribute.map((attribute) => [attribute.name ?? '', attributeValue(attribute)]),
  );
}
