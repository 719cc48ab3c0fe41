import { bitsPerElement, initializerByteSize, type GraphProto, type TensorProto } from '../../onnx';
import { tensorDtype } from './decoder-signature';

/**
 * Counts what a graph holds, from its protobuf alone: operators by type, initializer elements and
 * bytes by data type. No weight is read.
 */

/** The default ONNX domain is spelled '' or 'ai.onnx'; both mean "no prefix". */
export function operatorKey(opType: string, domain: string | undefined): string {
  return !domain || domain === 'ai.onnx' ? opType : `${domain}.${opType}`;
}

/** Node count per operator, If/Loop/Scan bodies included: they run too. */
export function operatorHistogram(graph: GraphProto): Record<string, number> {
  const counts = new Map<string, number>();
  const visit = (g: GraphProto): void => {
    for (const n of g.node) {
      const key = operatorKey(n.op_type ?? '', n.domain);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      for (const attribute of n.attribute) {
        if (attribute.g) visit(attribute.g);
        for (const subgraph of attribute.graphs ?? []) visit(subgraph);
      }
    }
  };
  visit(graph);
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

export interface InitializerCensus {
  /** elements */
  totalElements: number;
  elementsByDtype: Record<string, number>;
  /** bytes by dtype, from dims × type (sub-byte types packed); types with no fixed width count 0 */
  bytesByDtype: Record<string, number>;
}

const add = (record: Record<string, number>, key: string, amount: number): void => {
  record[key] = (record[key] ?? 0) + amount;
};

/** Elements and bytes of every initializer, by type, from their dims (the data stays on disk). */
export function initializerCensus(initializers: Iterable<TensorProto>): InitializerCensus {
  const census: InitializerCensus = { totalElements: 0, elementsByDtype: {}, bytesByDtype: {} };
  for (const tensor of initializers) {
    const dtype = tensorDtype(tensor.data_type);
    const elements = tensor.dims.reduce((product, dim) => product * dim, 1);
    census.totalElements += elements;
    add(census.elementsByDtype, dtype, elements);
    add(
      census.bytesByDtype,
      dtype,
      bitsPerElement(tensor.data_type ?? 0) === undefined ? 0 : initializerByteSize(tensor),
    );
  }
  return census;
}
