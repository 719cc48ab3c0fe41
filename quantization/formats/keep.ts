import { DataType } from '../../profiler/onnx';
import { initializersOnly, type WeightFormat } from './weight-format';

/**
 * The initializer as the source stores it (dtype, dims, bytes): every tensor of a float32 variant, and
 * whatever no quantizing format took in the others (norms, biases, rotary tables, skipped weights).
 */
export const keepFormat: WeightFormat = {
  consider: () => 'take',
  async write({ tensor, bytes }, sink) {
    await sink.add(tensor.name ?? '', tensor.data_type ?? DataType.UNDEFINED, tensor.dims, bytes);
    return initializersOnly();
  },
};
