import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { RunDocumentSchema } from '../api';
import {
  compareRuns,
  LLAMA_BENCH_FIELDS,
  printComparison,
  printRecords,
  recordPrinter,
  runRecords,
  trialRecords,
} from '../../common/llama-bench';
import { decodeTestName, prefillTestName } from '../../common/labels';
import { exportMarkdown } from './markdown-export';
import { importLlamaBench, isLlamaBenchOutput, LlamaBenchImportError } from './llama-bench-import';
import { exampleRunDocument } from './test/example-run';

const fixture = (extension: string): { file: string; text: string } => {
  const file = fileURLToPath(new URL(`./test/llama-bench-140m-q4_0.${extension}`, import.meta.url));
  return { file, text: readFileSync(file, 'utf8') };
};

describe("llama-bench's test names", () => {
  it('name a trial at depth d as pp{P} @ d{d} and tg{G} @ d{d+P}', () => {
    expect(prefillTestName({ promptTokens: 512, depthTokens: 0 })).toBe('pp512');
    expect(prefillTestName({ promptTokens: 128, depthTokens: 3904 })).toBe('pp128 @ d3904');
    expect(decodeTestName({ promptTokens: 128, generateTokens: 64, depthTokens: 3904 })).toBe('tg64 @ d4032');
    expect(decodeTestName({ promptTokens: 0, generateTokens: 128, depthTokens: 0 })).toBe('tg128');
  });
});

describe('a trial as llama-bench records', () => {
  const doc = exampleRunDocument();
  const ok = doc.trials.find((entry) => entry.result.status === 'ok')!.result;

  it("is a pp and a tg record with llama-bench's fields first, then ours", () => {
    const [pp, tg] = trialRecords(ok);
    expect(Object.keys(pp!)).toEqual([...LLAMA_BENCH_FIELDS]);
    expect(pp).toMatchObject({
      n_prompt: 128,
      n_gen: 0,
      n_depth: ok.spec.depthTokens,
      test: `pp128 @ d${ok.spec.depthTokens}`,
      avg_ts: ok.summary!.prefillTokensPerSecond!.mean,
      stddev_ts: ok.summary!.prefillTokensPerSecond!.std,
      runtime: 'onnxruntime',
      backends: 'CPU',
      cpu_info: doc.environment.cpu,
      n_threads: 8,
      ttft_ms: ok.summary!.ttftMs!.mean,
      peak_rss_bytes: ok.peakRssBytes,
    });
    // ns per repetition: the prefill run() alone, as llama-bench times pp
    expect(pp!.samples_ns).toEqual(ok.repetitions.map((rep) => Math.round(rep.prefillMs! * 1e6)));
    expect(tg).toMatchObject({
      n_prompt: 0,
      n_gen: 64,
      n_depth: ok.spec.depthTokens + 128,
      test: `tg64 @ d${ok.spec.depthTokens + 128}`,
      avg_ts: ok.summary!.decodeTokensPerSecond!.mean,
      ttft_ms: null,
    });
    const decodeNs = ok.repetitions.map((rep) => rep.decodeStepMs.reduce((a, b) => a + b, 0) * 1e6);
    expect(tg!.samples_ns).toEqual(decodeNs.map(Math.round));
    expect(pp!.build_commit).toMatch(/^edge-workbench /);
  });

  it('is nothing for a failed trial', () => {
    const failed = doc.trials.find((entry) => entry.result.status === 'failed')!.result;
    expect(trialRecords(failed)).toEqual([]);
  });

  it("prints as llama-bench's Markdown table, padded and right-aligned, with a build footer", () => {
    const records = runRecords(doc);
    const lines = printRecords('md', records).split('\n');
    expect(lines[0]).toBe(
      '| model                          |       size |     params | backend    | threads |            test |                  t/s |',
    );
    expect(lines[1]).toBe(
      '| ------------------------------ | ---------: | ---------: | ---------- | ------: | --------------: | -------------------: |',
    );
    const first = records[0]!;
    expect(lines[2]).toBe(
      `| ${'mobilellm-r1-140m fp32'.padEnd(30)} | ${`${(first.model_size! / 2 ** 20).toFixed(2)} MiB`.padStart(10)} | ` +
        `${`${(first.model_n_params! / 1e6).toFixed(2)} M`.padStart(10)} | CPU        |       8 | ` +
        `${first.test.padStart(15)} | ${`${first.avg_ts.toFixed(2)} ± ${first.stddev_ts.toFixed(2)}`.padStart(20)} |`,
    );
    expect(lines).toHaveLength(2 + records.length + 3);
    expect(lines.at(-2)).toMatch(/^build: edge-workbench \S+$/);
  });

  it('prints CSV with every field quoted, which a CSV parser reads back', () => {
    const records = runRecords(doc);
    const text = printRecords('csv', records);
    const row = text.split('\n')[1]!;
    expect(row.startsWith('"edge-workbench ')).toBe(true);
    const parsed = parseCsv(text, { columns: true }) as Record<string, string>[];
    expect(parsed).toHaveLength(records.length);
    expect(Number(parsed[1]!.avg_ts)).toBe(records[1]!.avg_ts);
    expect(parsed[1]!.ttft_ms).toBe(''); // a tg record has no TTFT: empty, not 0
  });

  it('streams jsonl a record at a time, and json as one array at the end', () => {
    const records = runRecords(doc);
    const jsonl = recordPrinter('jsonl');
    expect(jsonl.record(records[0]!)).toBe(`${JSON.stringify(records[0])}\n`);
    const json = recordPrinter('json');
    expect(json.start() + records.map((record) => json.record(record)).join('')).toBe('');
    expect(JSON.parse(json.end())).toEqual(records);
  });
});

describe("runs import of llama-bench's output", () => {
  for (const extension of ['json', 'jsonl', 'csv']) {
    it(`reads -o ${extension} as a llama.cpp run, fields it lacks not measured`, () => {
      const { file, text } = fixture(extension);
      expect(isLlamaBenchOutput(text)).toBe(true);
      const { doc, notes } = importLlamaBench(text, file, 'imported-run');
      expect(RunDocumentSchema.parse(doc)).toEqual(doc);
      expect(doc.trials).toHaveLength(2);
      const [pp, tg] = doc.trials.map((entry) => entry.result);
      expect(pp!.spec).toMatchObject({
        runtime: 'llama.cpp',
        quant: 'Q4_0',
        promptTokens: 128,
        generateTokens: 0,
      });
      expect(pp!.summary!.prefillTokensPerSecond!.mean).toBeCloseTo(2323, 0);
      expect(pp!.summary!.decodeTokensPerSecond).toBeUndefined();
      expect(pp!.summary!.ttftMs).toBeUndefined();
      expect(pp!.peakRssBytes).toBeUndefined();
      expect(tg!.summary!.decodeTokensPerSecond!.mean).toBeCloseTo(328.1, 1);
      expect(doc.environment).toMatchObject({ cpu: 'AMD EPYC 9R14', buildCommit: '6a8cf8914' });
      expect(doc.environment.os).toBeUndefined();
      // the -pg record is neither a prefill nor a decode rate
      expect(notes).toEqual([expect.stringMatching(/pp128\+tg32\) not imported/)]);
      // the records export back as they were read
      expect(runRecords(doc).map((record) => [record.test, record.avg_ts, record.runtime])).toEqual([
        ['pp128', pp!.imported!.record.avg_ts, 'llama.cpp'],
        ['tg32', tg!.imported!.record.avg_ts, 'llama.cpp'],
      ]);
      const report = exportMarkdown(doc);
      expect(report).toContain('| not measured |');
      expect(report).not.toMatch(/\| 0\.00 \|/);
    });
  }

  it('refuses a file with no pp or tg record, naming it', () => {
    const text = JSON.stringify([
      { model_type: 'llama 1B Q4_0', n_prompt: 0, n_gen: 0, avg_ts: 1, stddev_ts: 0 },
    ]);
    expect(() => importLlamaBench(text, '/data/empty.json', 'x')).toThrow(LlamaBenchImportError);
    expect(() => importLlamaBench(text, '/data/empty.json', 'x')).toThrow(/empty\.json holds no llama-bench/);
    expect(() => importLlamaBench('[{"avg_ts": "fast"}]', '/data/bad.json', 'x')).toThrow(
      /bad\.json record 1 is not a llama-bench record/,
    );
  });

  it('does not take a run document for llama-bench output', () => {
    expect(isLlamaBenchOutput(`${JSON.stringify(exampleRunDocument(), null, 2)}\n`)).toBe(false);
  });
});

describe('compare', () => {
  it('puts matching configurations side by side with the speed-up against the first run', () => {
    const { doc: json } = importLlamaBench(fixture('json').text, 'a.json', 'a');
    const faster = structuredClone(json);
    for (const entry of faster.trials) {
      const record = entry.result.imported!.record;
      record.avg_ts *= 2;
      record.build_commit = 'newer';
    }
    const runs = [
      { label: 'old', records: runRecords(json) },
      { label: 'new', records: runRecords(faster) },
    ];
    const rows = compareRuns(runs);
    expect(rows.map((row) => [row.test, row.metric, row.speedups[0]])).toEqual([
      ['pp128', 'prefill', 2],
      ['tg32', 'decode', 2],
    ]);
    const table = printComparison('md', runs, rows);
    expect(table).toMatch(
      /\| llama 140M Q4_0 \| 2 +\| pp128 \| prefill t\/s \| +2323\.00 \| +4646\.00 \| +2\.00 \|/,
    );
  });

  it('says not measured, with no speed-up, where a run lacks the figure', () => {
    const onnx = runRecords(exampleRunDocument());
    const { doc } = importLlamaBench(fixture('csv').text, 'b.csv', 'b');
    const rows = compareRuns(
      [
        { label: 'onnxruntime', records: onnx },
        { label: 'llama.cpp', records: runRecords(doc) },
      ],
      ['threads'],
    );
    const ttft = rows.find((row) => row.metric === 'TTFT')!;
    expect(ttft.speedups).toEqual([null]);
    expect(
      printComparison(
        'md',
        [
          { label: 'onnxruntime', records: onnx },
          { label: 'llama.cpp', records: [] },
        ],
        rows,
      ),
    ).toContain('not measured');
  });
});
