import { DataType } from '../../profiler/onnx';
import { asFloat32, toFloat16 } from '../float-values';
import { keepFormat } from './keep';
import { initializersOnly, type WeightFormat } from './weight-format';

/**
 * Float tensors cast to float16 (clamped to ±65504), the others kept: the storage of a variant with
 * float16 activations. A weight's cast is recorded as a conversion, not a quantization.
 */
export const float16CastFormat: WeightFormat = {
  consider: () => 'take',
  async write(source, sink) {
    const { tensor, bytes, plan } = source;
    if (tensor.data_type !== DataType.FLOAT) return keepFormat.write(source, sink);
    const name = tensor.name ?? '';
    await sink.add(name, DataType.FLOAT16, tensor.dims, toFloat16(asFloat32(bytes)));
    return initializersOnly(plan ? [{ tensor: name, action: 'converted', detail: 'float16' }] : []);
  },
};
