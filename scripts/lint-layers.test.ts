import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The layer table of ARCHITECTURE.md, as lint must enforce it. */
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

/** How many of `rule`'s errors lint reports for `code` at `filePath`. */
async function layerErrors(filePath: string, code: string, rule = 'no-restricted-imports'): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  const messages = result?.messages ?? [];
  // a file that does not parse has no import errors either: that would prove nothing
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return messages.filter((m) => m.ruleId === rule).length;
}

describe('layer rules', () => {
  it.each([
    ['profiler/runtime/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['profiler/serve/x.ts', "import { ref } from 'vue';\nexport const a = ref;\n"],
    ['profiler/api/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['quantization/x.ts', "import { defineStore } from 'pinia';\nexport const a = defineStore;\n"],
    ['profiler/api/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
    ['profiler/onnx/x.ts', "import { a } from '../runtime/session';\nexport const b = a;\n"],
    ['renderer/src/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
    ['renderer/src/x.ts', "import * as ort from 'onnxruntime-node';\nexport const a = ort;\n"],
    [
      'renderer/src/x.ts',
      "import { createEngine } from '../../profiler/engine/create-engine';\nexport const a = createEngine;\n",
    ],
    [
      'renderer/src/x.ts',
      "import { workbenchMethods } from '../../profiler/api';\nexport const a = workbenchMethods;\n",
    ],
    // common is pure knowledge: common and zod only
    ['common/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
    ['common/analysis/x.ts', "import { readFile } from 'fs/promises';\nexport const a = readFile;\n"],
    [
      'common/x.ts',
      "import { trialKey } from '../profiler/bench/sweep-planner';\nexport const a = trialKey;\n",
    ],
    [
      'common/analysis/x.ts',
      "import { exportRun } from '../../profiler/report';\nexport const a = exportRun;\n",
    ],
    ['common/analysis/x.ts', "import { a } from '../../package.json';\nexport const b = a;\n"],
    ['common/x.ts', "import * as ort from 'onnxruntime-node';\nexport const a = ort;\n"],
    ['common/x.ts', "import { ref } from 'vue';\nexport const a = ref;\n"],
    ['common/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['common/x.ts', "import { Chart } from 'chart.js';\nexport const a = Chart;\n"],
    ['common/x.ts', "import { describe } from 'vitest';\nexport const a = describe;\n"],
    [
      'common/x.test.ts',
      "import { exampleRunDocument } from '../profiler/report/test/example-run';\nexport const a = exampleRunDocument;\n",
    ],
    // common's test folders are common too: common and zod (and vitest) only
    ['common/test/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
    [
      'common/test/x.ts',
      "import { exampleRunDocument } from '../../profiler/report/test/example-run';\nexport const a = exampleRunDocument;\n",
    ],
    [
      'common/analysis/test/x.ts',
      "import { trialKey } from '../../../profiler/bench/sweep-planner';\nexport const a = trialKey;\n",
    ],
    // store is persistence, report renders it: never the other way round
    ['profiler/store/x.ts', "import { exportRun } from '../report';\nexport const a = exportRun;\n"],
    [
      'profiler/report/x.ts',
      "import { runSweep } from '../bench/sweep-runner';\nexport const a = runSweep;\n",
    ],
    [
      'profiler/report/x.ts',
      "import { createEngine } from '../engine/create-engine';\nexport const a = createEngine;\n",
    ],
    ['profiler/bench/x.ts', "import { exportRun } from '../report';\nexport const a = exportRun;\n"],
    // the engine sits below the doors
    ['profiler/engine/x.ts', "import { main } from '../cli/main';\nexport const a = main;\n"],
    [
      'profiler/engine/x.ts',
      "import { startServeServer } from '../serve/serve-server';\nexport const a = startServeServer;\n",
    ],
    // the CLI, serve and electron reach runs, sweeps and reports through the engine
    ['profiler/cli/x.ts', "import { runSweep } from '../bench/sweep-runner';\nexport const a = runSweep;\n"],
    [
      'profiler/cli/x.ts',
      "import { createRunStore } from '../store/run-store';\nexport const a = createRunStore;\n",
    ],
    ['profiler/cli/x.ts', "import { exportRun } from '../report';\nexport const a = exportRun;\n"],
    [
      'profiler/cli/x.ts',
      "import { probeSystem } from '../runtime/system-probe';\nexport const a = probeSystem;\n",
    ],
    [
      'profiler/cli/x.ts',
      "import type { TrialProcessLauncher } from '../bench/trial-host';\nexport type A = TrialProcessLauncher;\n",
    ],
    [
      'profiler/serve/x.ts',
      "import { createRunStore } from '../store/run-store';\nexport const a = createRunStore;\n",
    ],
    [
      'electron/main/x.ts',
      "import { writeFileAtomic } from '../../profiler/store/atomic-write';\nexport const a = writeFileAtomic;\n",
    ],
    [
      'electron/main/x.ts',
      "import { runTrial } from '../../profiler/bench/run-trial';\nexport const a = runTrial;\n",
    ],
    // a door's test still may not pull the UI into the engine's side
    ['profiler/cli/x.test.ts', "import { ref } from 'vue';\nexport const a = ref;\n"],
  ])('%s may not: %s', async (filePath, code) => {
    expect(await layerErrors(filePath, code)).toBeGreaterThan(0);
  });

  it.each([
    [
      'renderer/src/x.ts',
      "import type { SystemInfo } from '../../profiler/api';\nexport type A = SystemInfo;\n",
    ],
    [
      'renderer/src/x.ts',
      "import { formatBytes } from '../../common/units';\nexport const a = formatBytes;\n",
    ],
    [
      'renderer/src/components/x.vue',
      '<script setup lang="ts">\nimport { trialLabel } from \'../../../common/labels\';\nconst a = trialLabel;\n</script>\n<template><p>{{ a }}</p></template>\n',
    ],
    ['common/x.ts', "import { z } from 'zod';\nexport const a = z;\n"],
    ['common/analysis/x.ts', "import { modelKey } from '../labels';\nexport const a = modelKey;\n"],
    [
      'common/x.test.ts',
      "import { describe } from 'vitest';\nimport { modelKey } from './labels';\nexport const a = [describe, modelKey];\n",
    ],
    [
      'common/test/x.ts',
      "import { afterEach } from 'vitest';\nimport { summarizeRepetitions } from '../statistics';\nexport const a = [afterEach, summarizeRepetitions];\n",
    ],
    [
      'common/analysis/test/x.ts',
      "import { measuredTrial } from '../../test/trial-result';\nimport { analyzeRun } from '../run-analysis';\nexport const a = [measuredTrial, analyzeRun];\n",
    ],
    [
      'profiler/api/x.ts',
      "import { trialLabel } from '../../common/labels';\nexport const a = trialLabel;\n",
    ],
    [
      'profiler/store/x.ts',
      "import { analyzeRun } from '../../common/analysis/run-analysis';\nexport const a = analyzeRun;\n",
    ],
    [
      'electron/main/x.ts',
      "import { menuCommands } from '../../common/desktop-channels';\nexport const a = menuCommands;\n",
    ],
    [
      'profiler/cli/x.ts',
      "import { createEngine } from '../engine/create-engine';\nexport const a = createEngine;\n",
    ],
    ['electron/main/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    [
      'electron/main/x.ts',
      "import { createEngine, writeFileAtomic } from '../../profiler/engine';\nexport const a = [createEngine, writeFileAtomic];\n",
    ],
    [
      'profiler/cli/x.ts',
      "import { cliEngine } from './cli-engine';\nimport { createEngine } from '../engine';\nexport const a = [cliEngine, createEngine];\n",
    ],
    [
      'profiler/serve/x.ts',
      "import type { Engine } from '../engine';\nimport { SOCKET_PATH } from '../api';\nexport const a = SOCKET_PATH;\nexport type A = Engine;\n",
    ],
    // the engine may import every layer below it
    [
      'profiler/engine/x.ts',
      "import { runSweep } from '../bench/sweep-runner';\nimport { exportRun } from '../report';\nimport { quantizeVariant } from '../../quantization/quantize-variant';\nexport const a = [runSweep, exportRun, quantizeVariant];\n",
    ],
    [
      'profiler/report/x.ts',
      "import { readRunFile } from '../store/run-parse';\nexport const a = readRunFile;\n",
    ],
    // a door's test may arrange its state with the layers below
    [
      'profiler/cli/x.test.ts',
      "import { createRunStore } from '../store/run-store';\nexport const a = createRunStore;\n",
    ],
  ])('%s may: %s', async (filePath, code) => {
    expect(await layerErrors(filePath, code)).toBe(0);
  });
});

/** Production code importing a test folder's fixtures, fakes or builders (eslint.config.js). */
const testFolderErrors = (filePath: string, code: string) =>
  layerErrors(filePath, code, 'workbench/no-test-folder-imports');

describe('test folders: only tests import them', () => {
  it.each([
    [
      'renderer/src/stores/x.ts',
      "import { createFakeBackend } from '../../test/fake-backend';\nexport const a = createFakeBackend;\n",
    ],
    [
      'renderer/src/components/x.vue',
      '<script setup lang="ts">\nimport { depthRun } from \'../../test/compare-runs\';\nconst a = depthRun;\n</script>\n<template><p>{{ a }}</p></template>\n',
    ],
    ['renderer/src/x.ts', "export { depthRun } from '../test/compare-runs';\n"],
    ['renderer/src/x.ts', "export * from '../test/compare-runs';\n"],
    // the document builders and fixtures beside every layer's tests
    [
      'renderer/src/x.ts',
      "import { measuredTrial } from '../../common/test/trial-result';\nexport const a = measuredTrial;\n",
    ],
    [
      'common/analysis/x.ts',
      "import { trialFixture } from './test/analysis-fixtures';\nexport const a = trialFixture;\n",
    ],
    [
      'profiler/report/x.ts',
      "import { exampleRunDocument } from './test/example-run';\nexport const a = exampleRunDocument;\n",
    ],
    [
      'profiler/store/x.ts',
      "import { makeRunDocument } from './test/run-document';\nexport const a = makeRunDocument;\n",
    ],
    ['profiler/onnx/x.ts', "import { useTempDir } from './test/fixtures';\nexport const a = useTempDir;\n"],
    [
      'quantization/pack/x.ts',
      "import { runSingleNode } from './test/helpers';\nexport const a = runSingleNode;\n",
    ],
    ['renderer/src/x.ts', "export const stub = () => import('../test/chart-stub');\n"],
    // any test folder, in any layer
    [
      'profiler/cli/x.ts',
      "import { runFixture } from '../test/run-fixture';\nexport const a = runFixture;\n",
    ],
    [
      'scripts/x.ts',
      "import { depthRun } from '../renderer/test/compare-runs';\nexport const a = depthRun;\n",
    ],
  ])('%s may not: %s', async (filePath, code) => {
    expect(await testFolderErrors(filePath, code)).toBeGreaterThan(0);
  });

  it.each([
    [
      'renderer/src/stores/x.test.ts',
      "import { createFakeBackend } from '../../test/fake-backend';\nexport const a = createFakeBackend;\n",
    ],
    [
      'renderer/test/x.ts',
      "import { measuredTrial } from '../../common/test/trial-result';\nexport const a = measuredTrial;\n",
    ],
    [
      'profiler/report/test/x.ts',
      "import { runDocument } from '../../../common/test/run-document';\nexport const a = runDocument;\n",
    ],
    [
      'profiler/report/x.test.ts',
      "import { exampleRunDocument } from './test/example-run';\nexport const a = exampleRunDocument;\n",
    ],
    [
      'e2e/x.spec.ts',
      "import { depthRun } from '../renderer/test/compare-runs';\nexport const a = depthRun;\n",
    ],
    // a name that only contains "test" is no test folder
    ['renderer/src/x.ts', "import { latest } from './charts/latest-test-data';\nexport const a = latest;\n"],
  ])('%s may: %s', async (filePath, code) => {
    expect(await testFolderErrors(filePath, code)).toBe(0);
  });
});
