import type { TensorProto } from '../../profiler/onnx';
import type { QuantOptions } from '../presets';
import type { WeightPlan } from '../weight-uses';
import { dynamicInt8Format } from './dynamic-int8';
import { float16CastFormat } from './float16-cast';
import { gatherBlockFormat } from './gather-block';
import { keepFormat } from './keep';
import { matMulNBitsFormat } from './matmul-nbits';
import type { WeightFormat } from './weight-format';

/**
 * The formats a variant's options ask for, in the order each initializer is offered to them: the
 * quantizing formats, then the float storage, which takes every tensor. The one place that reads
 * `weights`: adding a format is a file and a line here.
 */
export function chooseFormats(options: QuantOptions): WeightFormat[] {
  // `weights: 'float16'` (the fp16 preset) comes with float16 activations, which cast every float tensor
  const storage = options.activations === 'float16' ? float16CastFormat : keepFormat;
  switch (options.weights) {
    case 'nbits':
      return [
        ...(options.quantizeEmbeddings ? [gatherBlockFormat(options)] : []),
        matMulNBitsFormat(options),
        storage,
      ];
    case 'dynamic-int8':
      return [dynamicInt8Format, storage];
    case 'float32':
    case 'float16':
      return [storage];
  }
}

/**
 * The format that writes `tensor`: the first to take it. When a format skips it (its kind of weight,
 * but not quantizable), the reason is returned for the record and the last format stores it.
 */
export function pickFormat(
  formats: readonly WeightFormat[],
  tensor: TensorProto,
  plan: WeightPlan | undefined,
): { format: WeightFormat; skipped?: string } {
  const storage = formats.at(-1);
  for (const format of formats) {
    const verdict = format.consider(tensor, plan);
    if (verdict === 'take') return { format };
    if (verdict !== 'pass' && storage) return { format: storage, skipped: verdict.skip };
  }
  throw new Error(
    `No format took ${tensor.name ?? '(unnamed)'}: the last of chooseFormats' list must take every tensor.`,
  );
}
