import { InvalidArgumentError } from 'commander';
import type { GraphStyle, LogitsPositions } from '../models/synthetic/model-config-files';

/** Options `models build` and `models import` share. */

export function parseStyle(value: string): GraphStyle {
  if (value !== 'fused' && value !== 'standard') {
    throw new InvalidArgumentError(
      "expected 'fused' (onnxruntime contrib ops) or 'standard' (plain ONNX ops).",
    );
  }
  return value;
}

export function parseLogits(value: string): LogitsPositions {
  if (value !== 'last' && value !== 'all') {
    throw new InvalidArgumentError(
      "expected 'last' (the last position's logits, as a deployment computes) or 'all' (every position's).",
    );
  }
  return value;
}
