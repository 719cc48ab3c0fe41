import { describe, expect, it } from 'vitest';
import type { TrialResult } from '../profiler/api';
import { contextRunDocument } from '../profiler/store/exporters/context-test-fixtures';
import { METRIC_DEFINITIONS as REPORT_DEFINITIONS } from '../profiler/store/exporters/report-metrics';
import { exampleRunDocument } from '../profiler/store/exporters/test-fixtures';
import * as reportTexts from '../profiler/store/exporters/trial-setup-text';
import { contextRun } from '../renderer/src/charts/context-run.fixtures';
import { depthRun } from '../renderer/src/charts/test-fixtures';
import { METRIC_DEFINITIONS as UI_DEFINITIONS } from '../renderer/src/format/metric-definitions';
import * as uiTexts from '../renderer/src/format/trial-setup';

/**
 * What the numbers mean, and what a trial ran, live twice until one module serves both layers (the
 * renderer may not import profiler/store, nor the store the renderer): the UI's tooltips and Compare
 * table, and the reports. This test, which may import both, keeps them saying the same thing; the
 * reports' definitions only add `code` marks.
 */
describe('the UI and the reports', () => {
  it('define the same metrics in the same order, with the same words', () => {
    const ui = Object.values(UI_DEFINITIONS).map(({ name, definition }) => ({ name, definition }));
    const reports = REPORT_DEFINITIONS.map(({ metric, definition }) => ({
      name: metric,
      definition: definition.replaceAll('`', ''),
    }));
    expect(reports).toEqual(ui);
  });

  it('say the same about what each trial ran, schema 1 and 2, run and not run', () => {
    const results: TrialResult[] = [exampleRunDocument(), contextRunDocument(), contextRun(), depthRun()]
      .flatMap((doc) => doc.trials)
      .map((trial) => trial.result);
    expect(Object.keys(uiTexts).sort()).toEqual(Object.keys(reportTexts).sort());
    const say = (texts: typeof uiTexts) =>
      results.map((result) => [
        texts.depthText(result.spec, result),
        texts.fillText(result.spec, result),
        texts.fillText(result.spec),
        texts.kvBufferText(result.spec, result),
        texts.kvBufferText(result.spec),
        texts.peakRssSourceText(result),
        texts.logitsCostText(result),
        texts.bandwidthText(result),
        texts.rooflineUnavailableText(result),
        texts.resultNotes(result),
        result.summary ? texts.spreadNote(result.summary) : null,
        texts.hasSyntheticWeights(result.spec),
        texts.bandwidthGBps(61.4e9),
        texts.PRESENT_ON_HOST_NOTE,
      ]);
    expect(say(reportTexts)).toEqual(say(uiTexts));
  });
});
