// @ts-check
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layer table of shared/design/ARCHITECTURE.md as import bans: each folder lists what it must not
 * import. Relative imports are matched by folder name, packages by name.
 */
const uiPackages = ['electron', 'vue', 'pinia', 'chart.js', 'vue-chartjs', '@vue/*', 'electron/*'];
const uiFolders = ['**/renderer/**', '**/electron/**'];
const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/**
 * @typedef {{ group?: string[]; regex?: string; message: string; allowTypeImports?: boolean }} Ban
 * @param {string[]} group
 * @param {string} message
 * @returns {Ban}
 */
const ban = (group, message) => ({ group, message });

const engineBans = [
  ban(uiPackages, 'The engine never imports electron or UI packages (ARCHITECTURE.md, layers).'),
  ban(uiFolders, 'The engine never imports the desktop shell or the renderer.'),
];
/** a folder's files and the folder itself (its index: `'../report'`) */
const folders = (/** @type {string[]} */ ...names) =>
  names.flatMap((name) => [`**/${name}`, `**/${name}/**`]);

/**
 * common/ is pure knowledge every layer imports: it may import only common itself and zod (tests:
 * vitest too). Any other package is refused, Node's built-ins, onnxruntime, electron and the UI packages
 * among them, and so is a relative import that climbs out of common/. The climb is counted per folder
 * depth (common/x.ts may not start '../', common/analysis/x.ts not '../../'), one entry per depth. Test
 * folders (common/test/, common/analysis/test/) are test code: like common's *.test.ts files they may
 * import vitest besides, and like them only common.
 * @returns {{ files: string[]; ignores?: string[]; bans: Ban[] }[]}
 */
function commonLayer() {
  const depths = [0, 1, 2, 3];
  /** @param {string[]} allowed @returns {Ban} */
  const packagesBut = (allowed) => ({
    regex: `^(?!(${allowed.join('|')})(/|$))[^./]`,
    message: `common imports only common and ${allowed.join(' and ')}: no Node, no DOM, no runtime, no UI.`,
  });
  return depths.flatMap((depth) => {
    const folder = `common/${'*/'.repeat(depth)}`;
    /** @type {Ban} */
    const leaving = {
      regex: `^(\\.\\./){${depth + 1}}`,
      message: 'common imports only common and zod: a relative import may not leave common/.',
    };
    // test code at this depth: its tests, and every file in a test folder (common/test/x.ts,
    // common/analysis/test/x.ts: the document builders and fixtures tests share)
    const tests = [
      `${folder}*.test.ts`,
      ...Array.from(
        { length: depth },
        (_, at) => `common/${'*/'.repeat(at)}test/${'*/'.repeat(depth - 1 - at)}*.ts`,
      ),
    ];
    return [
      { files: [`${folder}*.ts`], ignores: tests, bans: [packagesBut(['zod']), leaving] },
      { files: tests, bans: [packagesBut(['zod', 'vitest']), leaving] },
    ];
  });
}

/**
 * One entry per layer, with disjoint `files`: ESLint replaces (not merges) a rule's options when two
 * config objects match one file, so each entry carries the engine-wide bans too.
 * @type {{ files: string[]; ignores?: string[]; bans: Ban[] }[]}
 */
const layers = [
  ...commonLayer(),
  {
    files: ['profiler/api/**/*.ts'],
    bans: [
      ban(['onnxruntime-node', ...nodeBuiltins], 'profiler/api is the contract: zod and common only.'),
      {
        regex: '^\\.\\./(?!\\.\\./common(/|$))',
        message: 'profiler/api is the contract: it imports only zod and common.',
      },
    ],
  },
  {
    files: ['profiler/onnx/**/*.ts'],
    bans: [
      ban(
        folders('models', 'runtime', 'bench', 'report', 'store', 'serve', 'cli', 'engine', 'quantization'),
        'profiler/onnx sits at the bottom: protobuf only.',
      ),
    ],
  },
  {
    files: ['profiler/models/**/*.ts'],
    bans: [
      ban(
        folders('runtime', 'bench', 'report', 'store', 'serve', 'cli', 'engine', 'quantization'),
        'profiler/models may import only profiler/onnx and common.',
      ),
    ],
  },
  {
    files: ['profiler/runtime/**/*.ts'],
    bans: [
      ban(
        folders('bench', 'report', 'store', 'serve', 'cli', 'engine', 'quantization'),
        'profiler/runtime may import models, onnx and common only.',
      ),
    ],
  },
  {
    files: ['profiler/bench/**/*.ts'],
    bans: [
      ban(
        folders('report', 'serve', 'cli', 'engine'),
        'profiler/bench measures: it may import runtime, models, store, quantization and common; reports, the engine and the doors sit above it.',
      ),
    ],
  },
  {
    files: ['profiler/report/**/*.ts'],
    bans: [
      ban(
        [
          ...folders('onnx', 'models', 'runtime', 'bench', 'serve', 'cli', 'engine', 'quantization'),
          'onnxruntime-node',
        ],
        'profiler/report renders run documents: it may import store, api and common only.',
      ),
    ],
  },
  {
    files: ['profiler/store/**/*.ts'],
    bans: [
      ban(
        [
          ...folders(
            'onnx',
            'models',
            'runtime',
            'bench',
            'report',
            'serve',
            'cli',
            'engine',
            'quantization',
          ),
          'onnxruntime-node',
        ],
        'profiler/store is persistence: it imports the api and common only (reports are profiler/report).',
      ),
    ],
  },
  {
    files: ['quantization/**/*.ts'],
    bans: [
      ban(
        folders('bench', 'report', 'store', 'serve', 'cli', 'engine').map((f) =>
          f.replace('**/', '**/profiler/'),
        ),
        'quantization/ may import profiler/onnx, profiler/models (to open model folders), profiler/runtime and common.',
      ),
    ],
  },
  {
    // createEngine: the one WorkbenchApi implementation; it may import every layer below it
    files: ['profiler/engine/**/*.ts'],
    ignores: ['profiler/engine/**/*.test.ts'],
    bans: [ban(folders('serve', 'cli'), 'The engine sits below the front doors: it never imports them.')],
  },
  {
    files: ['profiler/cli/**/*.ts'],
    ignores: ['profiler/cli/**/*.test.ts'],
    bans: [
      ban(
        [...folders('onnx', 'runtime', 'bench', 'report', 'store'), 'onnxruntime-node'],
        'profiler/cli is a front door (argument parsing, terminal output): runs, sweeps, trials, reports, ' +
          'targets and the data folder go through the engine (profiler/engine), the api and common. Not yet ' +
          'behind the engine, and so allowed: `models` builds and inspects with profiler/models, `quantize` ' +
          'calls quantization/.',
      ),
    ],
  },
  {
    files: ['profiler/serve/**/*.ts'],
    ignores: ['profiler/serve/**/*.test.ts'],
    bans: [
      ban(
        [
          ...folders('onnx', 'models', 'runtime', 'bench', 'report', 'store', 'cli', 'quantization'),
          'onnxruntime-node',
        ],
        'profiler/serve is a front door (HTTP, WebSocket): it may import the engine, the api and common only.',
      ),
    ],
  },
  {
    // tests of the engine and the doors: the engine-wide bans only (a test may arrange its state with the
    // layers below: a run in the store, a cached bandwidth; the agent hub's tests start a real serve)
    files: ['profiler/{engine,cli,serve}/**/*.test.ts'],
    bans: [],
  },
];

const rendererBans = [
  ban(
    [
      ...nodeBuiltins,
      'onnxruntime-node',
      'onnxruntime-*',
      'electron',
      'electron/*',
      'systeminformation',
      'ws',
    ],
    'The renderer runs in a browser sandbox: reach the engine through WorkbenchBackend.',
  ),
  ban(['**/quantization/**', '**/electron/**'], 'The renderer may import profiler/api and common only.'),
  {
    regex: '(^|/)profiler/(?!api(/|$))',
    message: 'The renderer may import profiler/api and common only.',
  },
  {
    regex: '(^|/)profiler/api(/(?!(channels|socket-client)$)[^/]+)?$',
    allowTypeImports: true,
    message:
      'The renderer imports types from profiler/api, values only from its dependency-free channels and socket-client; values it shares with the engine come from common.',
  },
];

/** The desktop shell, like the front doors: the engine, the api and common (its tests may reach lower). */
const electronBans = [
  ban(
    [
      ...folders('onnx', 'models', 'runtime', 'bench', 'report', 'store', 'cli', 'serve').map((f) =>
        f.replace('**/', '**/profiler/'),
      ),
      ...folders('quantization', 'renderer'),
    ],
    'electron/ reaches the workbench through the engine (profiler/engine), the api and common.',
  ),
];

/**
 * Test folders (a folder named `test`, as renderer/test/) hold the fixtures, fakes and document builders
 * that tests share. Production code never imports one: electron-vite bundles what is imported, so one
 * import would ship test data in out/. Tests (*.test.ts, *.spec.ts, e2e/) and the test folders may.
 * A rule of its own rather than a no-restricted-imports pattern: ESLint would let it replace the
 * layers' patterns on a file instead of adding to them.
 */
const testCode = ['**/*.test.ts', '**/*.spec.ts', '**/test/**', 'e2e/**'];

/** @type {import('eslint').Rule.RuleModule} */
const noTestFolderImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Production code does not import from test folders.' },
    schema: [],
    messages: {
      testFolder:
        '"{{source}}" is in a test folder, which only tests may import (electron-vite would bundle it into out/): ' +
        'move what production code needs out of the test folder.',
    },
  },
  create(context) {
    /** @param {import('estree').ImportDeclaration | import('estree').ExportNamedDeclaration | import('estree').ExportAllDeclaration | import('estree').ImportExpression} node */
    const check = (node) => {
      const source = node.source && 'value' in node.source ? node.source.value : undefined;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = relative(context.cwd, resolve(dirname(context.filename), source));
      if (target.split(sep).includes('test')) {
        context.report({ node: node.source ?? node, messageId: 'testFolder', data: { source } });
      }
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'vue/block-lang': ['error', { script: { lang: 'ts' } }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    languageOptions: { globals: { ...globals.browser } },
  },
  ...layers.map(({ files, ignores, bans }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: { 'no-restricted-imports': ['error', { patterns: [...engineBans, ...bans] }] },
  })),
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    rules: { 'no-restricted-imports': ['error', { patterns: rendererBans }] },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: electronBans }] },
  },
  {
    files: ['**/*.{ts,vue,js,mjs,cjs}'],
    ignores: testCode,
    plugins: { workbench: { rules: { 'no-test-folder-imports': noTestFolderImports } } },
    rules: { 'workbench/no-test-folder-imports': 'error' },
  },
  prettier,
);
