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
 * One entry per layer, with disjoint `files`: ESLint replaces (not merges) a rule's options when two
 * config objects match one file, so each entry carries the engine-wide bans too.
 * @type {{ files: string[]; ignores?: string[]; bans: Ban[] }[]}
 */
const layers = [
  {
    files: ['profiler/api/**/*.ts'],
    bans: [ban(['../*', 'onnxruntime-node', ...nodeBuiltins], 'profiler/api is the contract: zod only.')],
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
        'profiler/models may import only profiler/onnx.',
      ),
    ],
  },
  {
    files: ['profiler/runtime/**/*.ts'],
    bans: [
      ban(
        folders('bench', 'store', 'serve', 'cli', 'engine', 'quantization'),
        'profiler/runtime may import models and onnx only.',
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
        'profiler/store imports api types only.',
      ),
    ],
  },
  {
    files: ['quantization/**/*.ts'],
    bans: [
      ban(
        folders('bench', 'store', 'serve', 'cli', 'engine').map((f) => f.replace('**/', '**/profiler/')),
        'quantization/ may import profiler/onnx, profiler/models (to open model folders) and profiler/runtime.',
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
  ban(['**/quantization/**', '**/electron/**'], 'The renderer may import profiler/api only.'),
  {
    regex: '(^|/)profiler/(?!api(/|$))',
    message: 'The renderer may import profiler/api only.',
  },
  {
    regex: '(^|/)profiler/api(/(?!(channels|units|socket-client)$)[^/]+)?$',
    allowTypeImports: true,
    message:
      'The renderer imports types from profiler/api; values only from its dependency-free channels, units and socket-client.',
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
