import type { RunDocument } from '../api';
import { runtimePairs } from '../../common/analysis/runtime-pairs';
import type { ReportSection, ReportTable } from '../../common/report-blocks';
import { formatBytes } from '../../common/units';

const ratio = (value: number | null): string => (value === null ? '—' : `${value.toFixed(2)}×`);
const rate = (value: number): string => value.toFixed(2);

/**
 * "Runtimes side by side": each configuration measured on onnxruntime and on llama.cpp, with
 * llama.cpp ÷ onnxruntime for prefill, decode, TTFT and peak RSS, and each file's own bytes read per
 * decode token (the roofline of each runtime divides by its own file's). Null when no configuration ran
 * on both.
 */
export function runtimeSection(doc: RunDocument): ReportSection | null {
  const pairs = runtimePairs(doc.trials.map((trial) => trial.result));
  if (pairs.length === 0) return null;
  const table: ReportTable = {
    headers: [
      'configuration (onnxruntime / llama.cpp)',
      'prefill t/s ORT',
      'prefill t/s llama.cpp',
      'prefill ×',
      'decode t/s ORT',
      'decode t/s llama.cpp',
      'decode ×',
      'TTFT ms ORT / llama.cpp',
      'peak RSS ORT / llama.cpp',
      'bytes per decode token ORT / llama.cpp',
    ],
    numeric: [false, true, true, true, true, true, true, true, true, true],
    rows: pairs.map((pair) => {
      const [o, l] = [pair.onnxruntime, pair.llamaCpp];
      const [mo, ml] = [pair.medians.onnxruntime, pair.medians.llamaCpp];
      const bytesPerToken = (result: typeof o): string =>
        result.roofline ? formatBytes(result.roofline.bytesPerDecodeToken) : '—';
      return [
        pair.label,
        rate(mo.prefillTokensPerSecond),
        rate(ml.prefillTokensPerSecond),
        ratio(pair.prefillRatio),
        rate(mo.decodeTokensPerSecond),
        rate(ml.decodeTokensPerSecond),
        ratio(pair.decodeRatio),
        `${mo.ttftMs.toFixed(1)} / ${ml.ttftMs.toFixed(1)}`,
        `${o.peakRssBytes === undefined ? '—' : formatBytes(o.peakRssBytes)} / ${l.peakRssBytes === undefined ? '—' : formatBytes(l.peakRssBytes)}`,
        `${bytesPerToken(o)} / ${bytesPerToken(l)}`,
      ];
    }),
  };
  return {
    id: 'runtimes',
    title: 'Runtimes side by side (onnxruntime vs llama.cpp)',
    blocks: [
      {
        kind: 'text',
        text:
          'The same model and preset on both runtimes — int4 as Q4_0, int8 as Q8_0, fp16 as F16, fp32 as F32, ' +
          'each block-32 symmetric where quantized — same context, depth, lengths and threads. × is llama.cpp ÷ ' +
          'onnxruntime (medians): above 1 llama.cpp is faster; for peak RSS, above 1 it holds more.',
      },
      { kind: 'table', table },
      {
        kind: 'note',
        text:
          'onnxruntime fills the depth with seeded cache values, llama.cpp by running the model (it has no way to ' +
          'take cache values); neither is timed. llama.cpp holds its KV cache in f16; the onnxruntime presets in ' +
          'their own dtype. llama.cpp runs Q4_0 / Q8_0 from a repacked copy of the weights beside the mapped file, ' +
          'which its peak RSS counts.',
      },
    ],
  };
}
