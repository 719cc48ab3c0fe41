import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostFacts } from '../runtime/system-probe';

const packageJsonPath = fileURLToPath(new URL('../../package.json', import.meta.url));

function readPackage(): { name: string; productName?: string; version: string } {
  return JSON.parse(readFileSync(packageJsonPath, 'utf8')) as {
    name: string;
    productName?: string;
    version: string;
  };
}

/**
 * The commit the app runs from, short (7 hex digits), read from the checkout's `.git` without running
 * git: HEAD, the ref it names (loose or packed). A worktree's `.git` is a file naming its git folder.
 * undefined outside a checkout (an installed app) or when it cannot be read.
 */
export function buildCommit(root = path.dirname(packageJsonPath)): string | undefined {
  try {
    let gitDir = path.join(root, '.git');
    if (!existsSync(gitDir)) return undefined;
    if (statSync(gitDir).isFile()) {
      const pointer = /^gitdir: (.+)$/m.exec(readFileSync(gitDir, 'utf8'));
      if (!pointer) return undefined;
      gitDir = path.resolve(root, pointer[1]!.trim());
    }
    const head = readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
    const ref = /^ref: (.+)$/.exec(head)?.[1];
    if (!ref) return head.slice(0, 7);
    // a worktree keeps HEAD in its own folder and the refs in the common one
    const commonFile = path.join(gitDir, 'commondir');
    const common = existsSync(commonFile)
      ? path.resolve(gitDir, readFileSync(commonFile, 'utf8').trim())
      : gitDir;
    for (const dir of [gitDir, common]) {
      const loose = path.join(dir, ref);
      if (existsSync(loose)) return readFileSync(loose, 'utf8').trim().slice(0, 7);
    }
    const packed = readFileSync(path.join(common, 'packed-refs'), 'utf8');
    return packed
      .split('\n')
      .find((entry) => entry.endsWith(` ${ref}`))
      ?.slice(0, 7);
  } catch {
    // unreadable: the version alone is reported
    return undefined;
  }
}

/** App name and version from package.json, for the CLI and serve doors (Electron asks `app`). */
export function appFactsFromPackage(host: HostFacts['host'], dataDir: string): HostFacts {
  const pkg = readPackage();
  const commit = buildCommit();
  return {
    appName: pkg.productName ?? pkg.name,
    appVersion: pkg.version,
    ...(commit ? { buildCommit: commit } : {}),
    host,
    dataDir,
  };
}

/** "edge-workbench 0.1.0 (bf3f8a6), onnxruntime-node 1.30.0": what `--version` prints */
export function versionText(): string {
  const pkg = readPackage();
  const commit = buildCommit();
  let onnxruntime = 'not installed';
  try {
    const require = createRequire(import.meta.url);
    onnxruntime = (require('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    // reported as not installed
  }
  return `edge-workbench ${pkg.version}${commit ? ` (${commit})` : ''}, onnxruntime-node ${onnxruntime}`;
}
