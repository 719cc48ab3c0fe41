import { z } from 'zod';

/**
 * The inference runtime a trial ran on. Absent in results of onnxruntime trials written before runtimes
 * were named: read as onnxruntime (`trialRuntime`).
 */
export const RuntimeSchema = z.enum(['onnxruntime', 'llama.cpp']);
export type Runtime = z.infer<typeof RuntimeSchema>;

/** A trial's runtime: the one it names, else onnxruntime (the only one results used to come from). */
export function trialRuntime(spec: { runtime?: Runtime | undefined }): Runtime {
  return spec.runtime ?? 'onnxruntime';
}
