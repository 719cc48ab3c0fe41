/**
 * electron-builder itself, offline: `--dir` (the unpacked app, no installer) for every target in
 * build/electron-builder.yml, each against a stand-in Electron distribution (`electronDist`: empty
 * files where Electron's binaries would be), so nothing is downloaded. Reads the real app.asar and
 * app.asar.unpacked it writes. Needs the built app in out/ (`npm run build`; `npm test` builds first).
 */
import { extractFile, getRawHeader } from '@electron/asar';
import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { NtExecutable, NtExecutableResource, Resource } from 'resedit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ortBinDir = 'node_modules/onnxruntime-node/bin/napi-v6';
const llamaScope = 'node_modules/@node-llama-cpp';
const productName = 'Edge LLM Workbench';

interface Target {
  platform: 'linux' | 'darwin' | 'win32';
  arch: 'x64' | 'arm64';
  /** where electron-builder puts app.asar, under its output folder */
  resources: string;
  /** the renamed Electron executable, under its output folder */
  executable: string;
}
const targets: Target[] = [
  {
    platform: 'linux',
    arch: 'x64',
    resources: 'linux-unpacked/resources',
    executable: 'linux-unpacked/edge-llm-workbench',
  },
  {
    platform: 'linux',
    arch: 'arm64',
    resources: 'linux-arm64-unpacked/resources',
    executable: 'linux-arm64-unpacked/edge-llm-workbench',
  },
  {
    platform: 'win32',
    arch: 'x64',
    resources: 'win-unpacked/resources',
    executable: `win-unpacked/${productName}.exe`,
  },
  {
    platform: 'darwin',
    arch: 'arm64',
    resources: `mac-arm64/${productName}.app/Contents/Resources`,
    executable: `mac-arm64/${productName}.app/Contents/MacOS/${productName}`,
  },
];
const section = { linux: 'linux', darwin: 'mac', win32: 'win' } as const;

function writeFile(file: string, content: string | Buffer, executable = false): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  if (executable) chmodSync(file, 0o755);
}

function infoPlist(executable: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict><key>CFBundleExecutable</key><string>${executable}</string>
<key>CFBundleIdentifier</key><string>com.github.Electron</string></dict></plist>`;
}

/** A PE file with a version resource: electron-builder writes the asar's integrity hash into it. */
function standInWindowsExecutable(): Buffer {
  const executable = NtExecutable.createEmpty();
  const resources = NtExecutableResource.from(executable);
  const version = Resource.VersionInfo.createEmpty();
  version.setStringValues({ lang: 1033, codepage: 1200 }, { ProductName: 'Electron' });
  version.outputToResourceEntries(resources.entries);
  resources.outputResource(executable);
  return Buffer.from(executable.generate());
}

/** The files electron-builder opens in an Electron distribution, empty where it only copies them. */
function writeStandInElectron(folder: string, platform: Target['platform']): void {
  if (platform === 'linux') writeFile(join(folder, 'electron'), '#!/bin/sh\n', true);
  if (platform === 'win32') writeFile(join(folder, 'electron.exe'), standInWindowsExecutable());
  if (platform === 'darwin') {
    const contents = join(folder, 'Electron.app/Contents');
    writeFile(join(contents, 'Info.plist'), infoPlist('Electron'));
    writeFile(join(contents, 'MacOS/Electron'), '', true);
    const helper = join(contents, 'Frameworks/Electron Helper.app/Contents');
    writeFile(join(helper, 'Info.plist'), infoPlist('Electron Helper'));
    writeFile(join(helper, 'MacOS/Electron Helper'), '', true);
  }
}

interface AsarNode {
  files?: Record<string, AsarNode>;
  unpacked?: boolean;
}
/** Every file in an asar archive, with whether it lives in app.asar.unpacked instead. */
function asarFiles(node: AsarNode, prefix = ''): { path: string; unpacked: boolean }[] {
  return Object.entries(node.files ?? {}).flatMap(([name, child]) => {
    const path = prefix ? `${prefix}/${name}` : name;
    return child.files ? asarFiles(child, path) : [{ path, unpacked: child.unpacked === true }];
  });
}

/** What the app needs from out/ (the main bundle reads onnx.proto beside itself). */
const builtEntries = [
  'out/main/index.js',
  'out/main/trial-child.js',
  'out/main/onnx.proto',
  'out/preload/index.cjs',
  'out/renderer/index.html',
];
/** Source maps, TypeScript, tests, and the CLI's TypeScript runner (tsx, esbuild). */
const unshippable =
  /\.map$|\.(ts|mts|cts)$|\.(test|spec)\.|(^|\/)(test|tests|__tests__)\/|^node_modules\/(tsx|esbuild|@esbuild)\//;

/** `from "pkg"`, `import("pkg")` and `require.resolve("pkg")` in the bundles, relative ones left out */
const bareImport = /\bfrom\s*"([^".][^"]*)"|(?:import|resolve)\("([^".][^"]*)"\)/g;

/** Packages the built main process loads at run time (electron-vite leaves dependencies external). */
function mainBundleImports(): string[] {
  const bundles = readdirSync(join(root, 'out/main')).filter((name) => name.endsWith('.js'));
  const specifiers = bundles.flatMap((name) =>
    [...readFileSync(join(root, 'out/main', name), 'utf8').matchAll(bareImport)].map(
      (m) => m[1] ?? m[2] ?? '',
    ),
  );
  const packages = specifiers
    .filter((specifier) => !specifier.startsWith('node:') && specifier !== 'electron')
    .map((specifier) => specifier.split('/', specifier.startsWith('@') ? 2 : 1).join('/'));
  return [...new Set(packages)].filter((name) => name !== 'tsx'); // tsx runs trial-child.ts sources only
}

const built = existsSync(join(root, 'out/main/index.js'));
const exec = promisify(execFile);
/** the stand-in Electrons and electron-builder's output, removed afterwards */
let work = '';
const timingsMs = new Map<string, number>();

/**
 * Whether node_modules is a real install (npm ci), as packaging runs from. A node_modules that is a
 * symlink to another checkout's (a git worktree sharing one install) makes `npm list`, electron-builder's
 * collector, call every package in it an extraneous link, and electron-builder then packs none of
 * node-llama-cpp's optional @node-llama-cpp packages: the llama.cpp checks need the real tree.
 */
const realInstall = !lstatSync(join(root, 'node_modules')).isSymbolicLink();

/**
 * llama.cpp's build the target ships (build/electron-builder.yml): the CPU build of its platform and
 * arch, on Apple silicon the one build there is. Its files, where npm installed it on this machine.
 */
function ownLlamaFiles({ platform, arch }: Target): string[] {
  if (!realInstall) return [];
  const build =
    platform === 'darwin' ? `mac-${arch}-metal` : `${platform === 'win32' ? 'win' : platform}-${arch}`;
  const folder = join(root, llamaScope, build);
  if (!existsSync(folder)) return [];
  const walk = (relative: string): string[] =>
    readdirSync(join(folder, relative), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(`${relative}/${entry.name}`) : [`${relative}/${entry.name}`],
    );
  return walk('bins').map((file) => `${llamaScope}/${build}/${file}`);
}

/** Runs electron-builder for one target into `work`; returns its output folder. */
async function packDir({ platform, arch }: Target): Promise<string> {
  const name = `${platform}-${arch}`;
  const electronDist = join(work, name, 'electron');
  const dist = join(work, name, 'dist');
  writeStandInElectron(electronDist, platform);
  const args = [
    join(root, 'node_modules/electron-builder/cli.js'),
    '--config',
    'build/electron-builder.yml',
    `--${section[platform]}`,
    'dir',
    `--${arch}`,
    '--publish',
    'never',
    `-c.electronDist=${electronDist}`,
    `-c.directories.output=${dist}`,
    // rcedit (the exe's icon and version resources) and signing are tools electron-builder downloads
    ...(platform === 'win32' ? ['-c.win.signAndEditExecutable=false'] : []),
  ];
  const startedMs = performance.now();
  try {
    await exec(process.execPath, args, { cwd: root, timeout: 110_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `electron-builder --dir for ${name} failed: ${(error as Error).message}\n${stdout}${stderr}`,
      { cause: error },
    );
  }
  timingsMs.set(name, performance.now() - startedMs);
  return dist;
}

describe.skipIf(!built)('electron-builder --dir with a stand-in Electron (needs out/: npm run build)', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'ew-packaging-'));
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true, maxRetries: 3 });
    const timings = [...timingsMs].map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`);
    console.log(`electron-builder --dir: ${timings.join(', ')}`);
  });

  it.each(targets.map((target) => [`${target.platform}-${target.arch}`, target] as const))(
    '%s: packs out/ and the runtime dependencies; onnxruntime and llama.cpp binaries unpacked, only its own',
    async (_, target) => {
      const { platform, arch, resources, executable } = target;
      const dist = await packDir(target);
      const archive = join(dist, resources, 'app.asar');
      const files = asarFiles(getRawHeader(archive).header as AsarNode);
      const paths = files.map((file) => file.path);
      expect(existsSync(join(dist, executable)), executable).toBe(true);

      // the built app, its package.json and dependencies; nothing else of the project folder
      expect([...new Set(paths.map((path) => path.split('/')[0]))].sort()).toEqual([
        'node_modules',
        'out',
        'package.json',
      ]);
      expect(paths).toEqual(expect.arrayContaining(builtEntries));
      const packageJson = JSON.parse(extractFile(archive, 'package.json').toString('utf8')) as object;
      expect(packageJson).toMatchObject({ main: 'out/main/index.js', type: 'module' });
      for (const name of mainBundleImports()) {
        expect(paths, `${name}, imported by out/main`).toContain(`node_modules/${name}/package.json`);
      }

      // onnxruntime-node and llama.cpp: this target's binaries, all in app.asar.unpacked, the only
      // files there (llama.cpp's build where npm installed it here: Linux's, on Linux)
      const own = readdirSync(join(root, ortBinDir, platform, arch)).map(
        (file) => `${ortBinDir}/${platform}/${arch}/${file}`,
      );
      const ownLlama = ownLlamaFiles(target);
      expect(paths.filter((path) => path.startsWith(`${ortBinDir}/`)).sort()).toEqual(own.sort());
      expect(
        paths.filter((path) => path.startsWith(`${llamaScope}/`) && path.includes('/bins/')).sort(),
      ).toEqual(ownLlama.sort());
      expect(
        files
          .filter((file) => file.unpacked)
          .map((file) => file.path)
          .sort(),
      ).toEqual([...own, ...ownLlama].sort());
      if (platform === 'linux' && realInstall) {
        expect(ownLlama).toContainEqual(expect.stringMatching(/\/llama-addon\.node$/));
        expect([
          ...new Set(
            paths.filter((path) => path.startsWith(`${llamaScope}/`)).map((path) => path.split('/')[2]),
          ),
        ]).toEqual([`linux-${arch}`]);
      }
      for (const binary of [...own, ...ownLlama]) {
        const unpacked = join(dist, resources, 'app.asar.unpacked', binary);
        expect(statSync(unpacked).size, binary).toBe(statSync(join(root, binary)).size);
      }

      expect(paths.filter((path) => unshippable.test(path))).toEqual([]);
    },
    120_000,
  );
});
