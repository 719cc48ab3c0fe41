import type {
  AnalysisRequest,
  DeviceTarget,
  ExportFormat,
  ExportOptions,
  RunAnalysis,
  RunDocument,
  WorkbenchMethodResult,
} from '../api';
import { analyzeRun } from '../../common/analysis/run-analysis';
import type { ReportSection } from '../../common/report-blocks';
import { analysisSections, EXPORT_MIME_TYPES, exportFileName, exportRun } from '../report';
import { hasSyntheticQuality } from '../report/report-tables';

export interface RunReportsDeps {
  /** the targets named, or every preset and this machine (see here-targets.ts) */
  targets: (specs?: readonly string[]) => Promise<DeviceTarget[]>;
}

/** A run judged on targets, laid out as the report's analysis sections (the CLI's `analyze`). */
export interface AnalysisReport {
  run: { id: string; name: string };
  analysis: RunAnalysis;
  sections: ReportSection[];
}

/**
 * Reports of one run document, whichever door asks and wherever the document came from (the store, a
 * run file): one path, so the same run exports to the same text everywhere. HTML and Markdown judge the
 * run on device targets — every preset and this machine unless targets are named.
 */
export function createRunReports(deps: RunReportsDeps) {
  async function analyze(doc: RunDocument, request: AnalysisRequest): Promise<RunAnalysis> {
    const targets = await deps.targets(request.targets ?? []);
    return analyzeRun(doc, { targets, ...(request.goal ? { goal: request.goal } : {}) });
  }

  return {
    analyze,

    async exportDocument(
      doc: RunDocument,
      format: ExportFormat,
      options: ExportOptions = {},
    ): Promise<WorkbenchMethodResult<'exportRun'>> {
      // html and md judge the run on device targets; csv and json stay the run's own data
      const judged = (format === 'html' || format === 'md') && options.analysis !== false;
      const analysis = judged ? await analyze(doc, options) : undefined;
      return {
        fileName: exportFileName(doc, format),
        mimeType: EXPORT_MIME_TYPES[format],
        text: exportRun(doc, format, analysis ? { analysis } : {}),
      };
    },

    async analysisReport(doc: RunDocument, request: AnalysisRequest): Promise<AnalysisReport> {
      const analysis = await analyze(doc, request);
      return {
        run: { id: doc.id, name: doc.name },
        analysis,
        // the sections the HTML and Markdown reports show, in their words
        sections: analysisSections(analysis, { syntheticQuality: hasSyntheticQuality(doc) }),
      };
    },
  };
}
