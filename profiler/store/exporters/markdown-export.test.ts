import { describe, expect, it } from 'vitest';
import { exportMarkdown, markdownText } from './markdown-export';
import { METRIC_DEFINITIONS } from './report-metrics';
import { FIXTURE_SKIP_REASON, exampleRunDocument } from './test-fixtures';

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
    const header = lines.find((line) => line.startsWith('| model | kv |') && line.includes('decode t/s'))!;
    const columns = cells(header);
    for (const { result } of doc.trials.filter((trial) => trial.result.status === 'ok')) {
      const summary = result.summary!;
      const row = lines.find((line) => line.startsWith(`| ${result.model!.label} |`) && line.includes('±'))!;
      const value = (name: string): string => cells(row)[columns.indexOf(name)]!;
      const meanSd = (mean: number, std: number): string => `${mean.toFixed(2)} ± ${std.toFixed(2)}`;
      expect(value('prefill t/s')).toBe(
        meanSd(summary.prefillTokensPerSecond.mean, summary.prefillTokensPerSecond.std),
      );
      expect(value('decode t/s')).toBe(
        meanSd(summary.decodeTokensPerSecond.mean, summary.decodeTokensPerSecond.std),
      );
      expect(value('TTFT ms')).toBe(meanSd(summary.ttftMs.mean, summary.ttftMs.std));
      expect(value('p50 ms')).toBe(summary.perTokenMs.p50.toFixed(2));
      expect(value('p99 ms')).toBe(summary.perTokenMs.p99.toFixed(2));
      expect(value('peak RSS')).toMatch(/MiB$/);
      expect(value('n')).toBe('5');
    }
    expect(markdown).toContain('2 decimals');
  });

  it('lists the failed and the skipped trial with their reasons, in one table row each', () => {
    const failed = lines.find((line) => line.includes('| failed |'))!;
    expect(failed).toContain('mobilellm-r1-950m (fused, int4)');
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
    for (const { metric } of METRIC_DEFINITIONS) expect(markdown).toContain(`| ${metric} |`);
    expect(markdown).toContain('sample standard deviation (n − 1)');
  });

  it('keeps raw HTML from the document out of renderers', () => {
    expect(markdownText('</script><b>x</b> & y')).toBe('&lt;/script>&lt;b>x&lt;/b> &amp; y');
    const hostile = exportMarkdown(exampleRunDocument({ name: '<img src=x onerror=alert(1)>' }));
    expect(hostile).not.toContain('<img');
  });
});
