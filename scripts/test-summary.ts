/**
 * The closing line of `npm test`: unit (vitest) and end-to-end (Playwright) counts added up, in the
 * plain "N passed, N failed, N skipped" form that CI reads. Reads the JSON reports the two runners wrote.
 */
import { readFileSync } from 'node:fs';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function vitestCounts(file: string): Counts {
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

interface PlaywrightSuite {
  specs?: {
    tests: { projectName: string; status: string; annotations: { type: string; description?: string }[] }[];
  }[];
  suites?: PlaywrightSuite[];
}

/** "project: reason" → number of tests skipped for it, so a skip never goes unexplained. */
function skipReasons(suites: PlaywrightSuite[], into = new Map<string, number>()): Map<string, number> {
  for (const suite of suites) {
    for (const test of (suite.specs ?? []).flatMap((spec) => spec.tests)) {
      if (test.status !== 'skipped') continue;
      const reason = test.annotations.find((a) => a.type === 'skip')?.description ?? 'no reason given';
      const key = `${test.projectName}: ${reason}`;
      into.set(key, (into.get(key) ?? 0) + 1);
    }
    skipReasons(suite.suites ?? [], into);
  }
  return into;
}

function playwrightCounts(file: string): Counts & { reasons: Map<string, number> } {
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
    suites: PlaywrightSuite[];
  };
  const { expected, unexpected, flaky, skipped } = report.stats;
  return { passed: expected + flaky, failed: unexpected, skipped, reasons: skipReasons(report.suites) };
}

const unit = vitestCounts('test-results/vitest.json');
const e2e = playwrightCounts('test-results/playwright.json');
console.log(`unit: ${unit.passed} passed, ${unit.failed} failed, ${unit.skipped} skipped`);
console.log(`e2e: ${e2e.passed} passed, ${e2e.failed} failed, ${e2e.skipped} skipped`);
for (const [reason, count] of e2e.reasons) console.log(`  skipped ${count} (${reason})`);
console.log(
  `tests: ${unit.passed + e2e.passed} passed, ${unit.failed + e2e.failed} failed, ${unit.skipped + e2e.skipped} skipped`,
);
process.exitCode = unit.failed + e2e.failed > 0 ? 1 : 0;
