import os from 'node:os';
import path from 'node:path';

/** Product folder name; Electron's `app.getPath('userData')` uses the same, so all doors share one folder. */
export const PRODUCT_NAME = 'Edge LLM Workbench';

/**
 * Where runs, the model-variant cache and settings live. Precedence: an explicit `--data-dir`, then
 * EDGE_WORKBENCH_HOME, then the platform's per-user app-data folder (the one Electron calls appData).
 */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return path.resolve(explicit);
  if (env.EDGE_WORKBENCH_HOME) return path.resolve(env.EDGE_WORKBENCH_HOME);
  return path.join(platformAppDataDir(env), PRODUCT_NAME);
}

function platformAppDataDir(env: NodeJS.ProcessEnv): string {
  switch (process.platform) {
    case 'win32':
      return env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming');
    case 'darwin':
      return path.join(os.homedir(), 'Library', 'Application Support');
    default:
      return env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config');
  }
}
