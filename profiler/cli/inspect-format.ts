import type { ModelInspection } from '../api';
import { formatBytes } from '../../common/units';
import { formatCount, wholeNumber } from '../../common/number-format';
import { formatTable } from './text-table';

function dims(value: readonly (number | string)[] | null): string {
  return value === null ? '(unknown rank)' : `[${value.join(', ')}]`;
}

/** Past/present pairs collapse to one line each, so a 22-layer signature stays readable. */
function signatureRows(inspection: ModelInspection): string[][] {
  const { signature } = inspection;
  const kvNames = new Set([
    ...signature.roles.pastKeys,
    ...signature.roles.pastValues,
    ...signature.roles.presentKeys,
    ...signature.roles.presentValues,
  ]);
  const rows: string[][] = [];
  for (const [direction, tensors] of [
    ['in', signature.inputs],
    ['out', signature.outputs],
  ] as const) {
    for (const tensor of tensors) {
      if (!kvNames.has(tensor.name)) rows.push([direction, tensor.name, tensor.dtype, dims(tensor.dims)]);
    }
    const first = tensors.find((tensor) => kvNames.has(tensor.name));
    if (first) {
      const names = direction === 'in' ? 'past_key_values.{0..L-1}.key|value' : 'present.{0..L-1}.key|value';
      rows.push([direction, `${names} ×${signature.numLayers * 2}`, first.dtype, dims(first.dims)]);
    }
  }
  return rows;
}

/** "1,234,567 (1.2M)" */
const countText = (count: number): string => `${wholeNumber(count)} (${formatCount(count)})`;

/** `models inspect`: what a model folder holds, without reading its weights. */
export function formatInspection(inspection: ModelInspection): string {
  const { signature, bytes, parameters } = inspection;
  const lines = [
    `${inspection.path}`,
    `  layout        ${inspection.layout}${inspection.variant === null ? '' : ` (variant ${inspection.variant || 'fp32'})`}`,
    `  model file    ${inspection.modelFile} (${formatBytes(bytes.onnxFile)})`,
  ];
  if (inspection.synthetic) {
    const s = inspection.synthetic;
    lines.push(`  synthetic     ${s.displayName}, ${s.style} style, seed ${s.seed}, built ${s.builtAt}`);
  }
  if (inspection.config?.model_type) lines.push(`  model_type    ${inspection.config.model_type}`);
  lines.push(
    `  decoder       ${signature.numLayers} layers, KV ${signature.kvLayout} ${signature.kvDtype}, ` +
      `${signature.kvHeads ?? '?'} KV heads × head_dim ${signature.headDim ?? '?'}`,
    `  KV per token  ${inspection.kvBytesPerToken === null ? 'unknown' : formatBytes(inspection.kvBytesPerToken)}`,
    `  parameters    ${countText(parameters.learned)} learned`,
    `                ${countText(parameters.initializerElements)} initializer elements as stored (constants and caches included)`,
    `  weights       ${formatBytes(bytes.weights)}: ` +
      Object.entries(bytes.byDtype)
        .map(([dtype, size]) => `${dtype} ${formatBytes(size)}`)
        .join(', '),
    `  read / token  ${formatBytes(bytes.readPerDecodeToken)} of weights per decode step (KV cache apart)`,
    `  on disk       ${formatBytes(bytes.onnxFile + bytes.externalData)} ` +
      `(${inspection.externalFiles.map((file) => `${file.name} ${formatBytes(file.bytes)}`).join(', ') || 'no external data'})`,
  );
  if (inspection.variants.length > 1) {
    lines.push(`  variants      ${inspection.variants.map((v) => v.dtype || 'fp32').join(', ')}`);
  }
  const operators = Object.entries(inspection.operators).sort((a, b) => b[1] - a[1]);
  return [
    ...lines,
    '',
    formatTable(['', 'name', 'dtype', 'dims'], signatureRows(inspection)),
    '',
    formatTable(
      ['operator', 'nodes'],
      operators.map(([op, count]) => [op, String(count)]),
    ),
  ].join('\n');
}
