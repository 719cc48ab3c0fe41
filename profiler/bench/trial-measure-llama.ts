import type { Repetition } from '../api';
import { LlamaDecoder } from '../runtime/llama-cpp/llama-decoder';
import { loadLlamaLibrary } from '../runtime/llama-cpp/llama-library';
import { readPeakRss } from '../runtime/peak-rss';
import { sequence, type Report, type SequenceRunner, type SequenceSettings } from './trial-measure';
import type { LlamaTrialRequest, TrialMeasurement } from './trial-messages';

/**
 * The measured part of a llama.cpp trial, the same protocol as onnxruntime's (trial-measure.ts): the
 * first load in this process, warmups, R repetitions of a timed prefill and G greedy decode steps
 * with sampling timed apart, the process's own peak RSS. The depth is filled once by the model over
 * seeded ids, 512 tokens a batch (llama-bench -d does the same); each sequence rewinds to it.
 */
export async function measureLlamaTrial(
  request: LlamaTrialRequest,
  report: Report,
): Promise<TrialMeasurement> {
  const { spec } = request;
  report({ phase: 'load' });
  const rssBeforeLoadBytes = process.memoryUsage().rss;
  const library = await loadLlamaLibrary(request.backend);
  const decoder = await LlamaDecoder.open(library, request.modelFile, {
    threads: request.threads,
    contextTokens: spec.depthTokens + spec.promptTokens + spec.generateTokens,
    batchTokens: request.batchTokens,
    gpuLayers: request.gpuLayers,
    flashAttention: request.flashAttention,
  });
  const rssAfterLoadBytes = process.memoryUsage().rss;
  try {
    if (request.fill.kind === 'model') {
      report({ phase: 'depth', repetition: 0 });
      await decoder.fill(request.fill.ids, request.fill.chunkTokens);
    }
    const loop: SequenceRunner = {
      startSequence: () => Promise.resolve(decoder.startSequence()),
      prefill: (ids) => decoder.prefill(ids),
      decode: (tokenId) => decoder.decode(tokenId),
    };
    const settings: SequenceSettings = {
      promptIds: request.promptIds,
      generateTokens: spec.generateTokens,
      filled: false, // filled once, above
      collectEachStep: false, // llama.cpp holds its cache in place: no copies to collect
    };
    for (let warmup = 0; warmup < spec.warmupRuns; warmup += 1) {
      await sequence(loop, settings, report, { phase: 'warmup', repetition: warmup });
    }
    const repetitions: Repetition[] = [];
    for (let repetition = 0; repetition < spec.repetitions; repetition += 1) {
      repetitions.push(await sequence(loop, settings, report, { phase: 'prefill', repetition }));
    }
    const contextCells = decoder.context.getContextSize();
    const peakRss = readPeakRss();
    report({ phase: 'done' });
    return {
      loadMs: decoder.loadMs,
      rssBeforeLoadBytes,
      rssAfterLoadBytes,
      peakRss,
      repetitions,
      // llama.cpp allocates K and V for every cell of the context up front, in f16
      kvCache: { tokens: decoder.cachedTokens, exactBytes: contextCells * request.kvBytesPerToken },
      prefillLogits: { bytes: request.vocabSize * 4, rows: 1 }, // one float32 row: the last position's
      llamaCpp: {
        bindingVersion: library.bindingVersion,
        release: library.release,
        commit: library.commit,
        buildNumber: library.buildNumber,
        backend: library.backend,
        threads: decoder.context.getThreads(),
        batchTokens: request.batchTokens,
        contextCells,
        flashAttention: request.flashAttention,
        gpuLayers: request.gpuLayers,
        uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE) || null,
        tensorTypes: request.tensorTypes,
      },
    };
  } finally {
    await decoder.dispose();
  }
}
