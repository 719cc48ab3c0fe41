import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The layer table of ARCHITECTURE.md, as lint must enforce it. */
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function layerErrors(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').length;
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
      "import { formatBytes } from '../../profiler/api/units';\nexport const a = formatBytes;\n",
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
