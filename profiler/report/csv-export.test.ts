import { describe, expect, it } from 'vitest';
import { contextRun, NO_BANDWIDTH_REASON } from '../../common/test/context-run';
import { csvField, csvLine, exportCsv } from './csv-export';
import { TRIAL_COLUMNS } from './report-metrics';
import { FIXTURE_FAILURE_MESSAGE, FIXTURE_SKIP_REASON, exampleRunDocument } from './test/example-run';

/** A strict RFC 4180 reader, written independently of the writer, to read the export back. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      index += 1;
    } else field += char;
  }
  expect(quoted, 'no quoted field left open').toBe(false);
  expect(field === '' && record.length === 0, 'the last record ends in CRLF').toBe(true);
  return records;
}

describe('csvField (RFC 4180)', () => {
  it('leaves plain text and numbers bare', () => {
    expect(csvField('mobilellm-r1-140m')).toBe('mobilellm-r1-140m');
    expect(csvField(123.456)).toBe('123.456');
    expect(csvField(true)).toBe('true');
    expect(csvField(null)).toBe('');
  });

  it('quotes commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvField('cr\r\nlf')).toBe('"cr\r\nlf"');
    expect(csvField('"')).toBe('""""');
  });

  it('writes no number for NaN or Infinity', () => {
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(Number.POSITIVE_INFINITY)).toBe('');
  });

  it('round-trips awkward values through a strict reader', () => {
    const values = ['a,b', 'x"y', 'two\nlines', '', ' spaced ', 'plain'];
    expect(parseCsv(csvLine(values))).toEqual([values]);
  });
});

describe('exportCsv', () => {
  const doc = exampleRunDocument({ failureMessage: `${FIXTURE_FAILURE_MESSAGE}, then "more", details` });
  const [header, ...rows] = parseCsv(exportCsv(doc));
  const column = (name: string): number => header!.indexOf(name);
  const rowOf = (status: string, label: string): string[] =>
    rows.find((row) => row[column('status')] === status && row[column('model_label')]!.includes(label))!;

  it('has one column per metric and configuration value, units in the names', () => {
    expect(header).toEqual(TRIAL_COLUMNS.map((c) => c.name));
    for (const name of [
      'model_label',
      'quant',
      'kv_dtype',
      'context_tokens',
      'depth_tokens',
      'prompt_tokens',
      'gen_tokens',
      'ep',
      'threads',
      'reps',
      'status',
      'failure_reason',
      'decode_tok_s_median',
      'decode_tok_s_mean',
      'prefill_tok_s_std',
      'ttft_ms_mean',
      'per_token_ms_p99',
      'peak_rss_bytes',
      'kv_exact_bytes',
      'load_ms',
    ]) {
      expect(header, name).toContain(name);
    }
  });

  it('adds what ran and how it was measured after the older columns, which keep their places', () => {
    expect(header!.slice(0, header!.indexOf('finished_at') + 1).at(-1)).toBe('finished_at');
    const added = header!.slice(header!.indexOf('finished_at') + 1);
    expect(added).toEqual(
      expect.arrayContaining([
        'depth_source',
        'fill',
        'fill_source',
        'kv_buffer',
        'kv_buffer_tokens',
        'sampling_ms_p50',
        'peak_rss_source',
        'peak_rss_consistent',
        'memory_sample_interval_ms',
        'logits_positions',
        'logits_prefill_bytes',
        'kernel_bandwidth_bytes_s',
        'weight_bytes_per_decode_token',
        'roofline_unavailable',
        'present_on_host',
        'synthetic_weights',
      ]),
    );
    const int4 = rowOf('ok', 'int4');
    const result = doc.trials[1]!.result;
    expect(int4[column('depth_source')]).toBe('context');
    expect(int4[column('depth_tokens')]).toBe('1856');
    expect(int4[column('fill')]).toBe('synthetic');
    expect(int4[column('kv_buffer')]).toBe('shared');
    expect(int4[column('kv_buffer_tokens')]).toBe('2048');
    expect(Number(int4[column('sampling_ms_p50')])).toBe(result.summary!.samplingMs!.p50);
    expect(int4[column('peak_rss_source')]).toBe('VmHWM');
    expect(Number(int4[column('kernel_bandwidth_bytes_s')])).toBe(24.8e9);
    expect(int4[column('synthetic_weights')]).toBe('true');
  });

  it('leaves "noisy" empty for one repetition, and carries why a roofline is missing', () => {
    const [contextHeader, ...contextRows] = parseCsv(exportCsv(contextRun()));
    const at = (name: string) => contextHeader!.indexOf(name);
    const once = contextRows.find((row) => row[at('reps_measured')] === '1')!;
    expect(once[at('noisy')]).toBe('');
    const webgpu = contextRows.find((row) => row[at('ep')] === 'webgpu')!;
    expect(webgpu[at('roofline_unavailable')]).toBe(NO_BANDWIDTH_REASON);
    expect(webgpu[at('logits_positions')]).toBe('all');
    expect(webgpu[at('present_on_host')]).toBe('true');
    expect(webgpu[at('synthetic_weights')]).toBe('false');
  });

  it('writes one row per trial: 2 ok, 1 failed, 1 skipped, each with the same number of fields', () => {
    expect(rows).toHaveLength(4);
    expect(rows.map((row) => row[column('status')]).sort()).toEqual(['failed', 'ok', 'ok', 'skipped']);
    for (const row of rows) expect(row).toHaveLength(header!.length);
  });

  it("carries the document's values unrounded", () => {
    for (const { result } of doc.trials.filter((trial) => trial.result.status === 'ok')) {
      const row = rowOf('ok', result.model!.label);
      const summary = result.summary!;
      expect(Number(row[column('decode_tok_s_median')])).toBe(summary.decodeTokensPerSecond!.median);
      expect(Number(row[column('decode_tok_s_std')])).toBe(summary.decodeTokensPerSecond!.std);
      expect(Number(row[column('prefill_tok_s_mean')])).toBe(summary.prefillTokensPerSecond!.mean);
      expect(Number(row[column('ttft_ms_mean')])).toBe(summary.ttftMs!.mean);
      expect(Number(row[column('per_token_ms_p50')])).toBe(summary.perTokenMs!.p50);
      expect(Number(row[column('peak_rss_bytes')])).toBe(result.peakRssBytes);
      expect(Number(row[column('kv_exact_bytes')])).toBe(result.kvCache!.exactBytes);
      expect(row[column('quant')]).toBe(result.spec.quant);
      expect(row[column('threads')]).toBe('8');
      expect(row[column('reps')]).toBe('5');
      expect(row[column('failure_reason')]).toBe('');
    }
  });

  it('gives failed and skipped trials their reasons, commas, quotes and newlines intact, and no metrics', () => {
    const failed = rowOf('failed', 'mobilellm-r1-950m');
    expect(failed[column('failure_kind')]).toBe('crash');
    expect(failed[column('failure_reason')]).toBe(doc.trials[2]!.result.failure!.message);
    expect(failed[column('decode_tok_s_mean')]).toBe('');
    expect(failed[column('model_label')]).toBe('mobilellm-r1-950m · int4');
    const skipped = rowOf('skipped', 'mobilellm-r1-950m');
    expect(skipped[column('failure_reason')]).toBe(FIXTURE_SKIP_REASON);
    expect(skipped[column('quant')]).toBe('fp32');
  });
});
