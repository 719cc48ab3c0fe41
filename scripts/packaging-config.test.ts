/**
 * build/electron-builder.yml, checked the way electron-builder 26 applies it (app-builder-lib's
 * fileMatcher.js and util/filter.js): for each target platform and arch, which files of out/ and of
 * the runtime dependencies would ship, which are unpacked from the asar archive, and whether the
 * icons the config names are there. scripts/packaging-dir.test.ts runs electron-builder itself.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ortBinDir = 'node_modules/onnxruntime-node/bin/napi-v6';
const llamaDir = 'node_modules/node-llama-cpp';
const llamaScope = 'node_modules/@node-llama-cpp';

interface PlatformConfig {
  target: { target: string; arch: string[] }[];
  files?: string[];
  icon?: string;
  [key: string]: unknown;
}
interface BuilderConfig {
  files?: unknown;
  asar?: boolean | { smartUnpack?: boolean };
  asarUnpack: string[];
  npmRebuild?: boolean;
  extraMetadata?: { main?: string };
  linux: PlatformConfig & { executableName?: string; maintainer?: string };
  mac: PlatformConfig & { identity?: unknown; hardenedRuntime?: boolean; entitlements?: string };
  win: PlatformConfig;
  deb?: { depends?: string[] };
  nsis?: { oneClick?: boolean; perMachine?: boolean };
}

/** js-yaml comes with electron-builder (which reads this file with it); it ships no types of its own. */
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const config = yaml.load(readFileSync(join(root, 'build/electron-builder.yml'), 'utf8')) as BuilderConfig;
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** onnxruntime-node's folder names (process.platform) → electron-builder's config sections. */
const sections = { linux: 'linux', darwin: 'mac', win32: 'win' } as const;
type Platform = keyof typeof sections;
const expectedTargets = ['linux-x64', 'linux-arm64', 'darwin-arm64', 'win32-x64'];

function configuredTargets(): { platform: Platform; arch: string }[] {
  return (Object.keys(sections) as Platform[]).flatMap((platform) => {
    const arches = new Set(config[sections[platform]].target.flatMap((target) => target.arch));
    return [...arches].map((arch) => ({ platform, arch }));
  });
}

/** electron-builder's macros in file patterns: `${arch}` the target's, `${os}` linux / mac / win. */
function expandMacros(pattern: string, platform: Platform, arch: string): string {
  return posix.normalize(
    pattern.replace(/\$\{(\w+)\}/g, (_, name: string) => {
      if (name === 'arch') return arch;
      if (name === 'os') return sections[platform];
      throw new Error(
        `build/electron-builder.yml: the test does not expand the macro \${${name}} in "${pattern}"`,
      );
    }),
  );
}

/** FileMatcher.computeParsedPatterns: a plain folder name also matches what is inside it. */
function parsePatterns(patterns: string[]): Minimatch[] {
  return patterns.flatMap((pattern) => {
    const parsed = new Minimatch(pattern, { dot: true });
    const magic = parsed.set.length > 1 || parsed.set[0]?.some((part) => typeof part !== 'string');
    return pattern.includes('.') || magic
      ? [parsed]
      : [parsed, new Minimatch(`${pattern}/**/*`, { dot: true })];
  });
}

/** util/filter.js minimatchAll: patterns in order, a later one overriding; folders match partially. */
function matchesAll(path: string, patterns: Minimatch[], isDirectory: boolean): boolean {
  let match = false;
  for (const pattern of patterns) {
    if (match !== pattern.negate) continue;
    match = pattern.match(path, isDirectory && !pattern.negate);
  }
  return match;
}

/** A file ships when every folder above it passes (electron-builder does not walk into the others). */
function ships(path: string, patterns: Minimatch[]): boolean {
  const parts = path.split('/');
  const folders = parts.slice(1).map((_, index) => parts.slice(0, index + 1).join('/'));
  return folders.every((folder) => matchesAll(folder, patterns, true)) && matchesAll(path, patterns, false);
}

/**
 * The two pattern lists electron-builder builds from a platform's `files`: the app folder uses the
 * list itself (with `**\/*` first when it holds only exclusions); node_modules get `**\/*` followed by
 * the exclusions only (getNodeModuleFileMatcher).
 */
function fileMatchers(platform: Platform, arch: string): { app: Minimatch[]; nodeModules: Minimatch[] } {
  const files = (config[sections[platform]].files ?? []).map((pattern) =>
    expandMacros(pattern, platform, arch),
  );
  const onlyExclusions = files.every((pattern) => pattern.startsWith('!'));
  return {
    app: parsePatterns(onlyExclusions ? ['**/*', ...files] : files),
    nodeModules: parsePatterns(['**/*', ...files.filter((pattern) => pattern.startsWith('!'))]),
  };
}

function walk(folder: string): string[] {
  if (!existsSync(join(root, folder))) return [];
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    return entry.isDirectory() ? walk(path) : [path];
  });
}

/**
 * App-folder paths: the real out/ when it is built, plus stand-ins, so the checks bite even when the
 * current build happens to have no source map or test file.
 */
const appPaths = [
  ...walk('out'),
  'package.json',
  'out/main/index.js',
  'out/main/index.js.map',
  'out/main/onnx.proto',
  'out/preload/index.cjs.map',
  'out/renderer/assets/index-0a1b2c3d.js.map',
  'out/main/sweep.test.js',
  'out/main/__tests__/sweep.js',
  // a test folder (renderer/test/ holds the renderer tests' fixtures), were a bundle ever to emit one
  'out/renderer/test/compare-runs.js',
  'out/main/types.d.ts',
];
/** What must never ship: the project's sources, tests, docs and packaging resources. */
const projectPaths = [
  'common/labels.ts',
  'profiler/cli/main.ts',
  'electron/main/index.ts',
  'renderer/src/App.vue',
  'renderer/test/fake-backend.ts',
  'e2e/sweep-story.spec.ts',
  'scripts/start.ts',
  'bin/edge-workbench.mjs',
  'README.md',
  'docs/screenshots/system-panel-browser.png',
  'build/icon.png',
  'tsconfig.json',
];
/**
 * node-llama-cpp's prebuilt builds: one optional package per platform build (@node-llama-cpp/<build>),
 * of which npm installs only the platform's own (on Linux x64: every Linux one).
 */
const llamaPackageJson = JSON.parse(readFileSync(join(root, llamaDir, 'package.json'), 'utf8')) as {
  optionalDependencies: Record<string, string>;
};
const llamaBuilds = Object.keys(llamaPackageJson.optionalDependencies)
  .filter((name) => name.startsWith('@node-llama-cpp/'))
  .map((name) => name.slice('@node-llama-cpp/'.length));
const libraryExtension = (build: string): string =>
  build.startsWith('mac-') ? 'dylib' : build.startsWith('win-') ? 'dll' : 'so';
/**
 * A build's files: the installed package's, or, for another platform's (not installed here), the layout
 * every one of them has (dist/index.js, whose getBinsDir() points at bins/; bins/<build>/ with the addon,
 * its build metadata and libraries; the CUDA -ext package's bins/ is named for the CUDA build).
 */
function llamaBuildFiles(build: string): string[] {
  const folder = `${llamaScope}/${build}`;
  const installed = walk(folder);
  if (installed.length > 0) return installed;
  const bins = `${folder}/bins/${build.replace(/-ext$/, '')}`;
  const library = libraryExtension(build);
  return [
    `${folder}/package.json`,
    `${folder}/LICENSE`,
    `${folder}/dist/index.js`,
    `${bins}/llama-addon.node`,
    `${bins}/_nlcBuildMetadata.json`,
    `${bins}/libllama.${library}`,
    `${bins}/libggml-base.${library}`,
  ];
}
/**
 * The llama.cpp build the workbench loads on each target: the CPU build (loadLlamaLibrary asks
 * node-llama-cpp for gpu: false), and on Apple silicon its only build, named for Metal.
 */
function ownLlamaBuild(platform: Platform, arch: string): string {
  if (platform === 'darwin') return `mac-${arch}-metal`;
  return `${platform === 'win32' ? 'win' : platform}-${arch}`;
}
const isLlamaBinary = (path: string): boolean => /^node_modules\/@node-llama-cpp\/[^/]+\/bins\//.test(path);

/** The runtime dependencies' files (direct ones: enough to meet maps, tests, sources and docs). */
const dependencyPaths = [
  ...Object.keys(packageJson.dependencies).flatMap((name) => walk(`node_modules/${name}`)),
  ...llamaBuilds.flatMap(llamaBuildFiles),
];
const ortBinaries = (platform: string, arch: string): string[] => walk(`${ortBinDir}/${platform}/${arch}`);

function shippedFiles(platform: Platform, arch: string): string[] {
  const matchers = fileMatchers(platform, arch);
  return [
    ...[...appPaths, ...projectPaths].filter((path) => ships(path, matchers.app)),
    ...dependencyPaths.filter((path) => ships(path, matchers.nodeModules)),
  ];
}

const unshippable: [string, RegExp][] = [
  ['source map', /\.map$/],
  ['TypeScript source', /\.(ts|mts|cts|tsx)$/],
  ['test file', /\.(test|spec)\.[^/]+$/],
  ['test folder', /(^|\/)(test|tests|__tests__)\//],
  ['README / CHANGELOG', /(^|\/)(README|CHANGELOG|HISTORY)[^/]*\.(md|markdown)$/i],
];

describe('build/electron-builder.yml', () => {
  it('lists every target of the issue: AppImage and deb for Linux, nsis for Windows, dmg for macOS', () => {
    const targetNames = (section: PlatformConfig) => section.target.map((target) => target.target).sort();
    expect(targetNames(config.linux)).toEqual(['AppImage', 'deb']);
    expect(targetNames(config.win)).toEqual(['nsis']);
    expect(targetNames(config.mac)).toEqual(['dmg']);
    const targets = configuredTargets().map(({ platform, arch }) => `${platform}-${arch}`);
    expect(targets.sort()).toEqual([...expectedTargets].sort());
  });

  it('builds only arches onnxruntime-node has binaries for', () => {
    for (const { platform, arch } of configuredTargets()) {
      expect(ortBinaries(platform, arch), `${ortBinDir}/${platform}/${arch}`).toContainEqual(
        expect.stringMatching(/onnxruntime_binding\.node$/),
      );
    }
  });

  it('has no top-level `files` (electron-builder would then ship the whole project folder)', () => {
    expect(config.files).toBeUndefined();
  });

  it.each(expectedTargets)(
    '%s: ships its own onnxruntime binaries, unpacked, and no other platform’s',
    (target) => {
      const [platform, arch] = target.split('-') as [Platform, string];
      const shipped = shippedFiles(platform, arch);
      const shippedBinaries = shipped.filter((path) => path.startsWith(`${ortBinDir}/`));
      const own = ortBinaries(platform, arch);
      expect(own.length).toBeGreaterThan(0);
      expect(shippedBinaries.sort()).toEqual(own.sort());
      const unpack = parsePatterns(config.asarUnpack.map((pattern) => expandMacros(pattern, platform, arch)));
      for (const binary of own)
        expect(matchesAll(binary, unpack, false), `asarUnpack matches ${binary}`).toBe(true);
      const unpacked = shipped.filter((path) => matchesAll(path, unpack, false));
      expect(
        unpacked.filter((path) => !isLlamaBinary(path)).sort(),
        'onnxruntime-node/bin and llama.cpp’s bins are the only unpacked files',
      ).toEqual(own.sort());
    },
  );

  it.each(expectedTargets)(
    '%s: ships llama.cpp’s build for its platform and arch, its bins unpacked, and no other build',
    (target) => {
      const [platform, arch] = target.split('-') as [Platform, string];
      const build = ownLlamaBuild(platform, arch);
      expect(llamaBuilds, `node-llama-cpp has a @node-llama-cpp/${build} package`).toContain(build);
      const shipped = shippedFiles(platform, arch);
      const shippedBuilds = new Set(
        shipped.filter((path) => path.startsWith(`${llamaScope}/`)).map((path) => path.split('/')[2]),
      );
      expect([...shippedBuilds]).toEqual([build]);
      // all of the build but its README
      const own = llamaBuildFiles(build).filter(
        (path) => !unshippable.some(([, pattern]) => pattern.test(path)),
      );
      expect(shipped.filter((path) => path.startsWith(`${llamaScope}/`)).sort()).toEqual(own.sort());
      // what node-llama-cpp needs at run time: the package entry that names bins/, the addon and its
      // build metadata (resolvePrebuiltBinaryPath wants both), the libraries beside them
      const bins = own.filter(isLlamaBinary);
      expect(own).toContain(`${llamaScope}/${build}/dist/index.js`);
      expect(bins).toContainEqual(expect.stringMatching(/\/llama-addon\.node$/));
      expect(bins).toContainEqual(expect.stringMatching(/\/_nlcBuildMetadata\.json$/));
      expect(bins).toContainEqual(expect.stringMatching(/\/libllama[^/]*\.(so|dylib|dll)$/));
      const unpack = parsePatterns(config.asarUnpack.map((pattern) => expandMacros(pattern, platform, arch)));
      for (const file of bins)
        expect(matchesAll(file, unpack, false), `asarUnpack matches ${file}`).toBe(true);
      const unpacked = shipped.filter((path) => matchesAll(path, unpack, false));
      expect(unpacked.filter((path) => !path.startsWith(`${ortBinDir}/`)).sort()).toEqual(bins.sort());
    },
  );

  it.each(expectedTargets)(
    '%s: ships node-llama-cpp’s runtime files, not its llama.cpp sources or templates',
    (target) => {
      const [platform, arch] = target.split('-') as [Platform, string];
      const shipped = shippedFiles(platform, arch).filter((path) => path.startsWith(`${llamaDir}/`));
      for (const file of [
        'package.json',
        'dist/index.js',
        'dist/bindings/getLlama.js',
        'dist/bindings/utils/testBindingBinary.js',
        // read when node-llama-cpp is imported (a top-level await in binariesGithubRelease.js)
        'llama/binariesGithubRelease.json',
        'LICENSE',
      ]) {
        expect(shipped).toContain(`${llamaDir}/${file}`);
      }
      expect(shipped.filter((path) => path.startsWith(`${llamaDir}/llama/`))).toEqual([
        `${llamaDir}/llama/binariesGithubRelease.json`,
      ]);
      expect(shipped.filter((path) => path.startsWith(`${llamaDir}/templates/`))).toEqual([]);
      expect(walk(`${llamaDir}/llama`)).toContain(`${llamaDir}/llama/gitRelease.bundle`); // the check bites
    },
  );

  it('leaves node-llama-cpp external in the main build (its files must stay its own in node_modules)', async () => {
    const { default: viteConfig } = await import('../electron.vite.config');
    const main = (viteConfig as { main?: { build?: { externalizeDeps?: unknown } } }).main;
    expect(main?.build?.externalizeDeps).toBe(true);
    // electron-vite externalizes the `dependencies` (externalizeDepsPlugin): node-llama-cpp is one
    expect(packageJson.dependencies['node-llama-cpp']).toBeDefined();
    // in a build (out/main, when built): imported by name, none of its code inlined
    const bundles = walk('out/main').filter((path) => path.endsWith('.js'));
    const texts = bundles.map((path) => readFileSync(join(root, path), 'utf8'));
    for (const [index, text] of texts.entries()) {
      expect(text, bundles[index]).not.toContain('getPrebuiltBinaryPath');
      expect(text, bundles[index]).not.toContain('resolveActualBindingBinaryPath');
    }
    if (bundles.length > 0) {
      expect(texts.some((text) => text.includes('import("node-llama-cpp")'))).toBe(true);
    }
  });

  it('relies on what node-llama-cpp 3.21.1 does to find its binaries from app.asar.unpacked', () => {
    const dist = (file: string) => readFileSync(join(root, llamaDir, 'dist', file), 'utf8');
    // the packages it imports per platform, arch and gpu: the ones the config keeps
    const lookup = dist('bindings/utils/compileLLamaCpp.js');
    for (const { platform, arch } of configuredTargets()) {
      expect(lookup).toContain(`import("@node-llama-cpp/${ownLlamaBuild(platform, arch)}")`);
    }
    expect(lookup).toContain('"llama-addon.node"');
    // the addon and its backends load from the path with .asar/ swapped for .asar.unpacked/
    expect(dist('bindings/utils/resolveActualBindingBinaryPath.js')).toContain('".asar.unpacked" + path.sep');
    // the backends (libggml-cpu-*, GPU ones) load from the addon's own folder
    expect(dist('bindings/Llama.js')).toMatch(/bindings\.loadBackends\(backendsPath\)/);
  });

  it.each(expectedTargets)(
    '%s: ships the built app and its dependencies, no maps, tests, sources or docs',
    (target) => {
      const [platform, arch] = target.split('-') as [Platform, string];
      const shipped = shippedFiles(platform, arch);
      for (const path of ['package.json', 'out/main/index.js', 'out/main/onnx.proto', ...walk('out')]) {
        if (!unshippable.some(([, pattern]) => pattern.test(path))) expect(shipped).toContain(path);
      }
      expect(shipped).toContain('node_modules/onnxruntime-node/dist/index.js');
      expect(shipped).toContain('node_modules/chart.js/dist/chart.umd.min.js'); // the HTML report inlines it
      for (const [what, pattern] of unshippable) {
        expect(
          shipped.filter((path) => pattern.test(path)),
          what,
        ).toEqual([]);
      }
      expect(
        shipped.filter((path) => projectPaths.includes(path)),
        'project sources',
      ).toEqual([]);
      expect(
        shipped.filter((path) => /onnxruntime_providers_(cuda|tensorrt)/.test(path) && platform !== 'linux'),
      ).toEqual([]);
      expect(
        shipped.some((path) => /^node_modules\/[^/]+\/LICEN[CS]E/i.test(path)),
        'licence texts stay',
      ).toBe(true);
    },
  );

  it('keeps onnxruntime-node and node-llama-cpp runtime dependencies and packs from the prebuilt binaries', () => {
    for (const name of ['onnxruntime-node', 'node-llama-cpp']) {
      expect(packageJson.dependencies[name], name).toBeDefined();
      expect(packageJson.devDependencies[name], name).toBeUndefined();
    }
    expect(
      packageJson.devDependencies.electron,
      'electron-builder reads Electron from devDependencies',
    ).toBeDefined();
    expect(config.npmRebuild).toBe(false);
    expect(config.asar).not.toBe(false);
    expect(config.asar).toMatchObject({ smartUnpack: false });
    expect(posix.normalize(config.extraMetadata?.main ?? packageJson.main)).toBe(
      posix.normalize(packageJson.main),
    );
    expect(posix.normalize(packageJson.main)).toBe('out/main/index.js');
  });

  it('sets the installer details: deb maintainer and dependencies, lowercase Linux executable, nsis choice', () => {
    expect(config.linux.executableName).toMatch(/^[a-z0-9-]+$/);
    expect(config.linux.maintainer).toMatch(/<[^>]+@[^>]+>/);
    expect(config.deb?.depends).toEqual(expect.arrayContaining(['libnss3', 'libgbm1']));
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false });
    expect(config.mac).toMatchObject({ identity: null, hardenedRuntime: true });
    expect(existsSync(join(root, config.mac.entitlements ?? 'missing'))).toBe(true);
  });
});

/** PNG: width and height are the IHDR chunk's first two fields (bytes 16 to 24). */
function pngSizePx(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('icons (build/, rendered by scripts/render-icon.ts)', () => {
  const buildFile = (name: string) => readFileSync(join(root, 'build', name));

  it('has the 1024 px master and the Linux set the config names', () => {
    expect(config.linux.icon).toBe('icons');
    expect(pngSizePx(buildFile('icon.png'))).toEqual({ width: 1024, height: 1024 });
    for (const sizePx of [16, 32, 48, 64, 128, 256, 512]) {
      const png = buildFile(`icons/${sizePx}x${sizePx}.png`);
      expect(pngSizePx(png), `icons/${sizePx}x${sizePx}.png`).toEqual({ width: sizePx, height: sizePx });
    }
    expect(statSync(join(root, 'build/icon.svg')).size).toBeGreaterThan(0);
  });

  it('has a macOS icns with a 1024 px image', () => {
    const icns = buildFile(config.mac.icon ?? 'icon.icns');
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const sizesPx = new Map<string, number>();
    for (let offset = 8; offset < icns.length; offset += icns.readUInt32BE(offset + 4)) {
      const type = icns.subarray(offset, offset + 4).toString('ascii');
      sizesPx.set(type, pngSizePx(icns.subarray(offset + 8)).width);
    }
    expect(sizesPx.get('ic10')).toBe(1024);
    expect(sizesPx.get('ic09')).toBe(512);
    expect(sizesPx.get('icp4')).toBe(16);
  });

  it('has a Windows ico up to 256 px (electron-builder refuses smaller)', () => {
    const ico = buildFile(config.win.icon ?? 'icon.ico');
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const sizesPx = Array.from({ length: ico.readUInt16LE(4) }, (_, index) => {
      const entry = 6 + 16 * index;
      const declared = ico.readUInt8(entry) || 256;
      const png = ico.subarray(
        ico.readUInt32LE(entry + 12),
        ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8),
      );
      expect(pngSizePx(png).width).toBe(declared);
      return declared;
    });
    expect(sizesPx).toEqual(expect.arrayContaining([16, 32, 48, 256]));
  });
});
