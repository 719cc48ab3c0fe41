import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The layer table of ARCHITECTURE.md, as lint must enforce it. */
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function layerErrors(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  const messages = result?.messages ?? [];
  // a file that does not parse has no import errors either: that would prove nothing
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
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
      "import { exportRun } from '../../profiler/store/exporters';\nexport const a = exportRun;\n",
    ],
    ['common/analysis/x.ts', "import { a } from '../../package.json';\nexport const b = a;\n"],
    ['common/x.ts', "import * as ort from 'onnxruntime-node';\nexport const a = ort;\n"],
    ['common/x.ts', "import { ref } from 'vue';\nexport const a = ref;\n"],
    ['common/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['common/x.ts', "import { Chart } from 'chart.js';\nexport const a = Chart;\n"],
    ['common/x.ts', "import { describe } from 'vitest';\nexport const a = describe;\n"],
    [
      'common/x.test.ts',
      "import { exampleRunDocument } from '../profiler/store/exporters/test-fixtures';\nexport const a = exampleRunDocument;\n",
    ],
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
  ])('%s may: %s', async (filePath, code) => {
    expect(await layerErrors(filePath, code)).toBe(0);
  });
});
