/**
 * `npm run security:electron`: Doyensec's Electronegativity over the desktop app's sources (electron/)
 * and the page it loads (renderer/index.html, for the CSP checks), run together so its global checks
 * (CSP, navigation limits, permission handler) see the whole app. Fails on any HIGH or MEDIUM finding
 * that electron/electronegativity-justifications.json does not justify, and on any file it could not
 * parse (an unscanned file would pass silently). Writes test-results/electronegativity/ (SARIF + JSON).
 *
 * Offline and deterministic by design: the tool's network lookups (translations, Electron's release
 * list for AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK) are stubbed out and that check is skipped; Electron's
 * own version is kept current through package.json, not a scan that depends on GitHub answering.
 * Called programmatically because its CLI breaks on the commander this project installs.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const justificationsFile = path.join(repoRoot, 'electron', 'electronegativity-justifications.json');
const outDir = path.join(repoRoot, 'test-results', 'electronegativity');

const JustificationsSchema = z.object({
  justifications: z.array(
    z.object({
      /** Electronegativity's check id, e.g. PRELOAD_JS_CHECK */
      check: z.string().min(1),
      /** repo-relative, '/'-separated; the finding may be anywhere in it */
      file: z.string().min(1),
      /** why it is acceptable here, for a reviewer */
      why: z.string().min(20),
    }),
  ),
});
export type Justification = z.infer<typeof JustificationsSchema>['justifications'][number];

export interface Finding {
  check: string;
  severity: string;
  confidence: string;
  /** repo-relative, '/'-separated; 'N/A' for app-wide (global) findings */
  file: string;
  line: number;
  column: number;
  description: string;
  manualReview: boolean;
}

const BLOCKING = new Set(['HIGH', 'MEDIUM']);

/** HIGH and MEDIUM findings no justification covers (same check id, same file). */
export function unjustifiedFindings(
  findings: readonly Finding[],
  justifications: readonly Justification[],
): Finding[] {
  return findings.filter(
    (finding) =>
      BLOCKING.has(finding.severity) &&
      !justifications.some((j) => j.check === finding.check && j.file === finding.file),
  );
}

/** Justifications that match no finding any more: the code changed, and the entry should go. */
export function staleJustifications(
  findings: readonly Finding[],
  justifications: readonly Justification[],
): Justification[] {
  return justifications.filter((j) => !findings.some((f) => f.check === j.check && f.file === j.file));
}

interface ToolIssue {
  id: string;
  severity: { name: string };
  confidence: { name: string };
  file: string;
  location: { line: number; column: number };
  description: string;
  manualReview?: boolean;
}
interface ToolResult {
  issues: ToolIssue[];
  errors: { file: string; message: string; tolerable: boolean }[];
}
type RunTool = (options: Record<string, unknown>) => Promise<ToolResult>;

/** The tool, with its HTTP client replaced by one that answers "not found" at once: no network. */
function loadOfflineTool(): RunTool {
  const require = createRequire(import.meta.url);
  const toolMain = require.resolve('@doyensec/electronegativity');
  const gotPath = createRequire(toolMain).resolve('got');
  const offline = Object.assign(async () => ({ statusCode: 404, body: '' }), {
    __esModule: true,
    head: async () => Promise.reject(new Error('offline by design')),
  });
  const stub = Object.assign(offline, { default: offline });
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: stub } as NodeJS.Module;
  return require(toolMain) as RunTool;
}

/** What ships in the desktop app, copied side by side so one scan sees it all (tests left out). */
function stageSources(stageDir: string): void {
  rmSync(stageDir, { recursive: true, force: true });
  cpSync(path.join(repoRoot, 'electron'), path.join(stageDir, 'electron'), {
    recursive: true,
    filter: (source) => !source.endsWith('.test.ts') && !source.endsWith('.json'),
  });
  mkdirSync(path.join(stageDir, 'renderer'), { recursive: true });
  cpSync(path.join(repoRoot, 'renderer', 'index.html'), path.join(stageDir, 'renderer', 'index.html'));
}

async function main(): Promise<void> {
  const started = performance.now();
  const { justifications } = JustificationsSchema.parse(JSON.parse(readFileSync(justificationsFile, 'utf8')));
  const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  const stageDir = path.join(outDir, 'scanned');
  stageSources(stageDir);
  const run = loadOfflineTool();
  const result = await run({
    input: stageDir,
    isRelative: true,
    output: path.join(outDir, 'electronegativity.sarif'),
    isSarif: true,
    electronVersionOverride: packageJson.devDependencies.electron,
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
  });
  const findings: Finding[] = result.issues.map((issue) => ({
    check: issue.id,
    severity: issue.severity.name,
    confidence: issue.confidence.name,
    file: issue.file.split(path.sep).join('/'),
    line: issue.location.line,
    column: issue.location.column,
    description: issue.description,
    manualReview: issue.manualReview ?? false,
  }));
  const unparsed = result.errors.filter((error) => !error.tolerable);
  const blocking = unjustifiedFindings(findings, justifications);
  const stale = staleJustifications(findings, justifications);
  writeFileSync(
    path.join(outDir, 'findings.json'),
    `${JSON.stringify({ findings, unjustified: blocking, stale, unparsed }, null, 2)}\n`,
  );

  for (const f of findings) {
    const state = !BLOCKING.has(f.severity) ? 'low' : blocking.includes(f) ? 'UNJUSTIFIED' : 'justified';
    process.stdout.write(`  ${f.severity.padEnd(13)} ${f.check} ${f.file}:${f.line} (${state})\n`);
  }
  for (const j of stale) {
    process.stdout.write(
      `  note: the justification for ${j.check} in ${j.file} matches nothing now; remove it.\n`,
    );
  }
  for (const error of unparsed) {
    process.stderr.write(`Electronegativity could not parse ${error.file}: ${error.message}\n`);
  }
  for (const f of blocking) {
    process.stderr.write(
      `${f.severity} ${f.check} at ${f.file}:${f.line}:${f.column}: ${f.description}\n` +
        `  Fix it, or justify it in ${path.relative(repoRoot, justificationsFile)} (check, file, why).\n`,
    );
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const verdict = blocking.length === 0 && unparsed.length === 0 ? 'passed' : 'FAILED';
  process.stdout.write(
    `Electronegativity ${verdict}: ${findings.length} findings, ${blocking.length} unjustified HIGH/MEDIUM, ` +
      `${unparsed.length} files unparsed (${seconds} s; report in ${path.relative(repoRoot, outDir)}/).\n`,
  );
  if (verdict !== 'passed') process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
