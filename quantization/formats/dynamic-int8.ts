import { DataType, MICROSOFT_DOMAIN, node } from '../../profiler/onnx';
import { asFloat32 } from '../float-values';
import { quantizePerColumnInt8 } from '../pack';
import { usesOf, weightMatrix } from '../weight-uses';
import { replaceMatMuls, takenPlan, type WeightFormat } from './weight-format';

/**
 * DynamicQuantizeMatMul (com.microsoft): int8 weights per output column, activations quantized at run
 * time (quantize_dynamic's fused form). The op has no quantized Gather, so a table that is also
 * gathered (a tied embedding) keeps a float copy for its Gathers beside the int8 copy for its MatMuls.
 */
export const dynamicInt8Format: WeightFormat = {
  consider(_tensor, plan) {
    if (!plan) return 'pass';
    if (plan.blocker) return { skip: plan.blocker };
    return usesOf(plan, 'matmul').length > 0 ? 'take' : 'pass';
  },

  async write(source, sink) {
    const plan = takenPlan(source, 'DynamicQuantizeMatMul');
    const name = plan.tensor.name ?? '';
    const matmuls = usesOf(plan, 'matmul');
    const { K, N, layout } = weightMatrix({ ...plan, uses: matmuls });
    const values = asFloat32(source.bytes);
    const quantized = quantizePerColumnInt8(values, K, N, { transposed: layout === 'NK' });
    const [data, scale] = [`${name}_int8`, `${name}_scale`];
    await sink.add(data, DataType.INT8, [K, N], quantized.data);
    await sink.add(scale, DataType.FLOAT, [N], quantized.scales);
    if (usesOf(plan, 'gather').length > 0) await sink.addFloat(name, plan.tensor.dims, values);
    const replacements = replaceMatMuls(matmuls, (use) =>
      node(
        'DynamicQuantizeMatMul',
        [use.node.input[0]!, data, scale],
        use.node.output,
        {},
        MICROSOFT_DOMAIN,
        `${use.node.name ?? use.node.output[0]}_int8`,
      ),
    );
    const detail = `DynamicQuantizeMatMul int8 per column ×${matmuls.length}`;
    return { replacements, constants: [], decisions: [{ tensor: name, action: 'quantized', detail }] };
  },
};
