import { hostname } from 'node:os';
import si from 'systeminformation';
import type { GpuInfo, SystemInfo } from '../api';
import { listBackends, onnxruntimeVersion } from './onnxruntime-backends';

export interface HostFacts {
  appName: string;
  appVersion: string;
  /** the source commit the app runs from, where known (a git checkout) */
  buildCommit?: string;
  host: SystemInfo['runtime']['host'];
  dataDir: string;
  /** what to call this machine in runs and on other workbenches (`serve --name`); else its hostname */
  deviceName?: string;
}

const MiB = 1024 * 1024;

function gpuOf(controller: si.Systeminformation.GraphicsControllerData): GpuInfo {
  // systeminformation reports VRAM in MiB; 0 or null means "unknown" (integrated GPUs, VMs).
  const vramMiB = controller.vram ?? 0;
  return {
    vendor: controller.vendor || 'unknown vendor',
    model: controller.model || controller.name || 'unknown model',
    vramBytes: vramMiB > 0 ? vramMiB * MiB : null,
  };
}

/** Hardware and runtime facts of this machine, read fresh (systeminformation + onnxruntime-node). */
export async function probeSystem(facts: HostFacts): Promise<SystemInfo> {
  const [cpu, mem, graphics, os] = await Promise.all([si.cpu(), si.mem(), si.graphics(), si.osInfo()]);
  const name = cpu.brand.toLowerCase().startsWith(cpu.manufacturer.toLowerCase())
    ? cpu.brand
    : `${cpu.manufacturer} ${cpu.brand}`.trim();
  return {
    app: {
      name: facts.appName,
      version: facts.appVersion,
      ...(facts.buildCommit ? { commit: facts.buildCommit } : {}),
    },
    device: { name: facts.deviceName?.trim() || hostname(), hostname: hostname() },
    onnxruntime: { version: onnxruntimeVersion(), backends: listBackends() },
    cpu: {
      manufacturer: cpu.manufacturer,
      brand: cpu.brand,
      name,
      physicalCores: cpu.physicalCores,
      logicalCores: cpu.cores,
      speedGHz: cpu.speed > 0 ? cpu.speed : null,
    },
    memory: { totalBytes: mem.total },
    gpus: graphics.controllers.map(gpuOf),
    os: {
      platform: os.platform,
      distro: os.distro,
      release: os.release,
      kernel: os.kernel,
      arch: os.arch,
    },
    runtime: {
      host: facts.host,
      nodeVersion: process.versions.node,
      electronVersion: process.versions.electron ?? null,
      dataDir: facts.dataDir,
    },
  };
}
