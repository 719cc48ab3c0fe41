import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  staleJustifications,
  unjustifiedFindings,
  type Finding,
  type Justification,
} from './electronegativity-check';

function finding(check: string, severity: string, file: string): Finding {
  return {
    check,
    severity,
    confidence: 'FIRM',
    file,
    line: 1,
    column: 0,
    description: '',
    manualReview: true,
  };
}

const preload: Justification = {
  check: 'PRELOAD_JS_CHECK',
  file: 'electron/main/main-window.ts',
  why: 'sandboxed, isolated, named functions only',
};

describe('electronegativity gate', () => {
  it('fails HIGH and MEDIUM findings unless the same check in the same file is justified', () => {
    const findings = [
      finding('PRELOAD_JS_CHECK', 'MEDIUM', 'electron/main/main-window.ts'),
      finding('PRELOAD_JS_CHECK', 'MEDIUM', 'electron/main/other-window.ts'),
      finding('CONTEXT_ISOLATION_JS_CHECK', 'HIGH', 'electron/main/main-window.ts'),
      finding('CSP_GLOBAL_CHECK', 'LOW', 'renderer/index.html'),
      finding('AUXCLICK_JS_CHECK', 'INFORMATIONAL', 'electron/main/main-window.ts'),
    ];
    expect(unjustifiedFindings(findings, [preload]).map((f) => `${f.check} ${f.file}`)).toEqual([
      'PRELOAD_JS_CHECK electron/main/other-window.ts',
      'CONTEXT_ISOLATION_JS_CHECK electron/main/main-window.ts',
    ]);
  });

  it('names justifications that no finding needs any more', () => {
    expect(staleJustifications([], [preload])).toEqual([preload]);
    expect(staleJustifications([finding('PRELOAD_JS_CHECK', 'MEDIUM', preload.file)], [preload])).toEqual([]);
  });

  it('keeps every justification in the file specific: a check id, a file under electron/ or renderer/, a reason', () => {
    const file = new URL('../electron/electronegativity-justifications.json', import.meta.url);
    const { justifications } = JSON.parse(readFileSync(file, 'utf8')) as { justifications: Justification[] };
    for (const j of justifications) {
      expect(j.check).toMatch(/^[A-Z_]+_CHECK$/);
      expect(j.file).toMatch(/^(electron|renderer)\/\S+$/);
      expect(j.why.length).toBeGreaterThan(80);
    }
  });
});
