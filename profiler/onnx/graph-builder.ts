import type { AttributeValue } from './attributes';
import { tensorByteSize } from './data-type';
import type { NodeProto, OperatorSetIdProto, TensorProto, ValueInfoProto } from './onnx-types';

/** IR 10 goes with opset 21 (onnx/helper.py VERSION_TABLE, ONNX 1.16); onnxruntime 1.30 loads both. */
export const DEFAULT_IR_VERSION = 10;
export const DEFAULT_ONNX_OPSET = 21;
/** onnxruntime's contrib ops (MatMulNBits, GroupQueryAttention, …) live here, at version 1. */
export const MICROSOFT_DOMAIN = 'com.microsoft';
export const MICROSOFT_OPSET = 1;

/**
 * One graph node. The name defaults to `<opType>_<first output>`: outputs are unique in a graph, and
 * onnxruntime's profile reports time per node name, so every node should have one.
 */
export function node(
  opType: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attributes: Readonly<Record<string, AttributeValue>> = {},
  domain = '',
  name = `${opType}_${outputs[0] ?? ''}`,
): NodeProto {
  return {
    op_type: opType,
    input: [...inputs],
    output: [...outputs],
    name,
    ...(domain ? { domain } : {}),
    attribute: Object.entries(attributes).map(([attributeName, value]) => ({
      name: attributeName,
      ...value,
    })),
  };
}

/**
 * A graph input/output description. Dims are numbers (fixed) or strings (symbolic, e.g. 'batch_size');
 * omit dims for a tensor of unknown rank.
 */
export function valueInfo(
  name: string,
  elemType: number,
  dims?: readonly (number | string)[],
): ValueInfoProto {
  const shape = dims && {
    dim: dims.map((dim) => (typeof dim === 'number' ? { dim_value: dim } : { dim_param: dim })),
  };
  return { name, type: { tensor_type: { elem_type: elemType, ...(shape ? { shape } : {}) } } };
}

export function opsetImport(domain: string, version: number): OperatorSetIdProto {
  return { domain, version };
}

/**
 * The opset imports a graph needs: the ONNX default domain, plus com.microsoft when a node uses it.
 * Other custom domains have no version we could guess, so they must be passed explicitly.
 */
export function defaultOpsetImports(
  nodes: readonly NodeProto[],
  onnxOpset = DEFAULT_ONNX_OPSET,
): OperatorSetIdProto[] {
  const imports = [opsetImport('', onnxOpset)];
  const domains = new Set(nodes.map((n) => n.domain ?? '').filter((domain) => domain !== ''));
  for (const domain of domains) {
    if (domain !== MICROSOFT_DOMAIN) {
      throw new RangeError(`nodes use the "${domain}" domain: pass opsetImports with its version`);
    }
    imports.push(opsetImport(MICROSOFT_DOMAIN, MICROSOFT_OPSET));
  }
  return imports;
}

/** Views any typed array as its bytes (little-endian, as every platform onnxruntime ships for). */
export function asBytes(data: ArrayBufferView): Uint8Array {
  return data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * An inline tensor (raw_data), for Constant nodes and small initializers. The bytes must match the
 * dims and type exactly; the caller's buffer is referenced, not copied.
 */
export function tensor(
  name: string,
  dataType: number,
  dims: readonly number[],
  data: ArrayBufferView,
): TensorProto {
  const bytes = asBytes(data);
  checkTensorBytes(name, dataType, dims, bytes.byteLength);
  return { name, data_type: dataType, dims: [...dims], raw_data: bytes };
}

/** Throws when a byte count does not match a tensor's dims × type. */
export function checkTensorBytes(
  name: string,
  dataType: number,
  dims: readonly number[],
  byteLength: number,
): void {
  const expectedBytes = tensorByteSize(dataType, dims);
  if (byteLength !== expectedBytes) {
    throw new RangeError(
      `tensor "${name}" has ${byteLength} bytes but its dims [${dims.join(', ')}] need ${expectedBytes}`,
    );
  }
}
