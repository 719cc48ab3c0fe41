import { describe, expect, it } from 'vitest';
import { contextRun } from '../../common/test/context-run';
import { exportMarkdown, markdownText } from './markdown-export';
import { METRIC_GLOSSARY } from '../../common/metric-glossary';
import { SYNTHETIC_QUALITY_NOTE } from './report-metrics';
import { FIXTURE_SKIP_REASON, exampleRunDocument } from './test/example-run';

const doc = exampleRunDocument({ failureMessage: 'bad | allocation\nexit code 134 <oom>' });
const markdown = exportMarkdown(doc);
const lines = markdown.split('\n');
/** cells of a table row, splitting on unescaped pipes */
const cells = (line: string): string[] =>
  line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());

describe('exportMarkdown', () => {
  it("shows `t/s ± sd` for prefill and decode and TTFT ms ± sd equal to the document's, at 2 decimals", () => {
    const header = lines.find(
      (line) => line.startsWith('| model | runtime | kv |') && line.includes('decode t/s'),
    )!;
    const columns = cells(header);
    for (const { result } of doc.trials.filter((trial) => trial.result.status === 'ok')) {
      const summary = result.summary!;
      const row = lines.find((line) => line.startsWith(`| ${result.model!.label} |`) && line.includes('±'))!;
      const value = (name: string): string => cells(row)[columns.indexOf(name)]!;
      const meanSd = (mean: number, std: number): string => `${mean.toFixed(2)} ± ${std.toFixed(2)}`;
      expect(value('prefill t/s')).toBe(
        meanSd(summary.prefillTokensPerSecond!.mean, summary.prefillTokensPerSecond!.std),
      );
      expect(value('decode t/s')).toBe(
        meanSd(summary.decodeTokensPerSecond!.mean, summary.decodeTokensPerSecond!.std),
      );
      expect(value('TTFT ms')).toBe(meanSd(summary.ttftMs!.mean, summary.ttftMs!.std));
      expect(value('p50 ms')).toBe(summary.perTokenMs!.p50.toFixed(2));
      expect(value('p99 ms')).toBe(summary.perTokenMs!.p99.toFixed(2));
      expect(value('peak RSS')).toMatch(/MiB$/);
      expect(value('n')).toBe('5');
    }
    expect(markdown).toContain('2 decimals');
  });

  it('says what ran: depth at the end of the window, fill, KV buffer, sampling apart, peak RSS source, GEMV', () => {
    const header = lines.find((line) => line.startsWith('| model | ctx | depth | fill |'))!;
    const columns = cells(header);
    const int4 = lines.find((line) => line.startsWith('| mobilellm-r1-140m · int4 | 2048 |'))!;
    const value = (name: string): string => cells(int4)[columns.indexOf(name)]!;
    expect(value('depth')).toBe('1856 (end of window)');
    expect(value('fill')).toBe('synthetic (seeded values)');
    expect(value('KV buffer')).toBe('shared (2048 tokens)');
    const sampling = doc.trials[1]!.result.summary!.samplingMs!;
    expect(value('sampling ms p50 / max')).toBe(`${sampling.p50.toFixed(2)} / ${sampling.max.toFixed(2)}`);
    expect(value('peak RSS source')).toBe('VmHWM, agrees with the timeline (20 ms samples)');
    expect(markdown).toContain('61.4 GB/s streaming read; onnxruntime GEMV 24.8 GB/s');
    expect(markdown).toContain('| depth tokens (d) | end of window (C − P − G) |');
    expect(markdown).toContain('| KV buffers | auto |');
  });

  it('costs an all-positions logits export and a host round trip beside the trial that had them', () => {
    const context = exportMarkdown(contextRun());
    const webgpu = context
      .split('\n')
      .find((line) => line.startsWith('| qwen3-0.6b-onnx (q4) · fp32 | 2048 |'))!;
    expect(webgpu).toContain(
      "every position's logits: 74.2 MiB per prefill where the last position needs 594 KiB; " +
        'the KV cache came back to host memory after every step',
    );
  });

  it('writes a single repetition as "(n = 1)", never "± 0.00" nor quiet', () => {
    const context = exportMarkdown(contextRun());
    const once = context
      .split('\n')
      .find((line) => line.includes('mobilellm-r1-140m · fp32') && line.includes('(n = 1)'))!;
    expect(once).not.toContain('± 0.00');
    expect(once).toContain('n = 1: no spread measured');
  });

  it('states beside quality from synthetic weights that it is valid for speed and memory only', () => {
    const context = exportMarkdown(contextRun());
    expect(context).toContain(`> **${SYNTHETIC_QUALITY_NOTE}**`);
    // the recorded KL of the synthetic model is not shown: the row says why, with the published scores
    expect(context).toMatch(
      /\| mobilellm-r1-140m \| synthetic \(seeded\) \| — \| needs real weights \| needs real weights \|.*\| MATH500 6\.2%, GSM8K 4\.1%/,
    );
    expect(context).not.toMatch(/\| mobilellm-r1-140m \| synthetic \(seeded\) \| int4 \|/);
    // no quality measured: nothing to warn about
    expect(markdown).not.toContain(`> **${SYNTHETIC_QUALITY_NOTE}**`);
  });

  it('lists the failed and the skipped trial with their reasons, in one table row each', () => {
    const failed = lines.find((line) => line.includes('| failed |'))!;
    expect(failed).toContain('mobilellm-r1-950m · int4');
    expect(failed).toContain('| crash |');
    // the pipe is escaped and the newline folded, so the row keeps its columns
    expect(failed).toContain('bad \\| allocation exit code 134 &lt;oom>');
    const header = lines.find((line) => line.includes('| status | kind | reason |'))!;
    expect(cells(failed)).toHaveLength(cells(header).length);
    const skipped = lines.find((line) => line.includes('| skipped |'))!;
    expect(skipped).toContain(FIXTURE_SKIP_REASON);
  });

  it('states the environment, the sweep, repetitions and warmups, and the metric definitions', () => {
    expect(markdown).toContain(`| CPU | ${doc.environment.cpu} |`);
    expect(markdown).toContain('| onnxruntime | 1.30.0 |');
    expect(markdown).toContain('| app version | 0.1.0 |');
    expect(markdown).toContain('| RAM | 32.0 GiB |');
    expect(markdown).toContain('| cores | 8 physical, 16 logical |');
    expect(markdown).toContain('| repetitions (R) | 5 |');
    expect(markdown).toContain('| warmup runs | 1 |');
    expect(markdown).toContain('| memory budget | 4.0 GiB |');
    expect(markdown).toContain('| trials | 4 planned: 2 ok, 1 failed, 1 skipped, 0 not run |');
    for (const { name } of Object.values(METRIC_GLOSSARY)) expect(markdown).toContain(`| ${name} |`);
    expect(markdown).toContain('sample standard deviation (n − 1)');
    // the definitions say what is measured now: sampling apart, the trial's own peak, not a cold load
    expect(markdown).toContain('sampling excluded');
    expect(markdown).toContain('`VmHWM`');
    expect(markdown).toContain('not a cold-disk load');
  });

  it('keeps raw HTML from the document out of renderers', () => {
    expect(markdownText('</script><b>x</b> & y')).toBe('&lt;/script>&lt;b>x&lt;/b> &amp; y');
    const hostile = exportMarkdown(exampleRunDocument({ name: '<img src=x onerror=alert(1)>' }));
    expect(hostile).not.toContain('<img');
  });
});
