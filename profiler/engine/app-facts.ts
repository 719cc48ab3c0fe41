import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HostFacts } from '../runtime/system-probe';

const packageJsonPath = fileURLToPath(new URL('../../package.json', import.meta.url));

/** App name and version from package.json, for the CLI and serve doors (Electron asks `app`). */
export function appFactsFromPackage(host: HostFacts['host'], dataDir: string): HostFacts {
  const pkg = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as {
    name: string;
    productName?: string;
    version: string;
  };
  return { appName: pkg.productName ?? pkg.name, appVersion: pkg.version, host, dataDir };
}
