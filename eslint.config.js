// @ts-check
import { builtinModules } from 'node:module';
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
const folders = (/** @type {string[]} */ ...names) => names.map((name) => `**/${name}/**`);

/**
 * common/ is pure knowledge every layer imports: it may import only common itself and zod (tests:
 * vitest too). Any other package is refused, Node's built-ins, onnxruntime, electron and the UI packages
 * among them, and so is a relative import that climbs out of common/. The climb is counted per folder
 * depth (common/x.ts may not start '../', common/analysis/x.ts not '../../'), one entry per depth.
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
    return [
      { files: [`${folder}*.ts`], ignores: [`${folder}*.test.ts`], bans: [packagesBut(['zod']), leaving] },
      { files: [`${folder}*.test.ts`], bans: [packagesBut(['zod', 'vitest']), leaving] },
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
        folders('models', 'runtime', 'bench', 'store', 'serve', 'cli', 'engine', 'quantization'),
        'profiler/onnx sits at the bottom: protobuf only.',
      ),
    ],
  },
  {
    files: ['profiler/models/**/*.ts'],
    bans: [
      ban(
        folders('runtime', 'bench', 'store', 'serve', 'cli', 'engine', 'quantization'),
        'profiler/models may import only profiler/onnx and common.',
      ),
    ],
  },
  {
    files: ['profiler/runtime/**/*.ts'],
    bans: [
      ban(
        folders('bench', 'store', 'serve', 'cli', 'engine', 'quantization'),
        'profiler/runtime may import models, onnx and common only.',
      ),
    ],
  },
  {
    files: ['profiler/bench/**/*.ts'],
    bans: [ban(folders('serve', 'cli', 'engine'), 'profiler/bench sits below the front doors.')],
  },
  {
    files: ['profiler/store/**/*.ts'],
    bans: [
      ban(
        [...folders('onnx', 'models', 'runtime', 'bench', 'serve', 'cli', 'engine'), 'onnxruntime-node'],
        'profiler/store imports the api and common only.',
      ),
    ],
  },
  {
    files: ['quantization/**/*.ts'],
    bans: [
      ban(
        folders('bench', 'store', 'serve', 'cli', 'engine').map((f) => f.replace('**/', '**/profiler/')),
        'quantization/ may import profiler/onnx, profiler/models (to open model folders), profiler/runtime and common.',
      ),
    ],
  },
  {
    // the front doors and the engine facade: everything in profiler/ and quantization/
    files: ['profiler/**/*.ts'],
    ignores: ['profiler/{api,onnx,models,runtime,bench,store}/**'],
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
  prettier,
);
