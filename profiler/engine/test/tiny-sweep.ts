import type { SweepSpecInput } from '../../api';
import { environmentOf } from '../../bench/run-trial';
import { probeSystem } from '../../runtime/system-probe';
import { writeBandwidthCacheStub } from '../../runtime/test/bandwidth-cache-stub';
import { appFactsFromPackage } from '../app-facts';

/**
 * A sweep of a 2-layer SmolLM2-shaped synthetic model, one trial per generation length: about a second
 * per trial, for tests that need a sweep running rather than a measurement.
 */
export function tinySweep(gens: number[]): SweepSpecInput {
  const tiny = { num_hidden_layers: 2, hidden_size: 64, intermediate_size: 96, vocab_size: 256 };
  return {
    models: [{ kind: 'catalog', id: 'smollm2-135m', overrides: { ...tiny, max_context_tokens: 128 } }],
    contexts: [64],
    prompts: [8],
    gens,
    repetitions: 1,
    warmupRuns: 0,
  };
}

/** Cache a memory bandwidth for serve's data folder, so its first trial does not stop to measure one. */
export async function stubServeBandwidth(dataDir: string): Promise<void> {
  const facts = appFactsFromPackage('serve', dataDir);
  writeBandwidthCacheStub(dataDir, environmentOf(await probeSystem(facts)), { bytesPerSecond: 20e9 });
}
