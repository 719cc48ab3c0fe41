import type { RooflineBandwidth, SystemInfo } from '../api';
import { formatBytes, formatGBps } from '../../common/units';

function backendLine(info: SystemInfo): string {
  return info.onnxruntime.backends
    .map((b) => `${b.name} (${b.bundled ? 'bundled' : b.installed ? 'installed' : 'not installed'})`)
    .join(', ');
}

/** The `system` command's readable form: one fact a line, label column aligned. */
export function formatSystemInfo(info: SystemInfo): string {
  const { cpu, os } = info;
  const gpus = info.gpus.length
    ? info.gpus
        .map((g) => `${g.vendor} ${g.model}${g.vramBytes === null ? '' : `, ${formatBytes(g.vramBytes)}`}`)
        .join('; ')
    : 'none detected';
  const rows: [string, string][] = [
    ['app', `${info.app.name} ${info.app.version}`],
    ['onnxruntime', `${info.onnxruntime.version} (onnxruntime-node)`],
    ['backends', backendLine(info)],
    [
      'CPU',
      `${cpu.name}, ${cpu.physicalCores} physical / ${cpu.logicalCores} logical cores` +
        (cpu.speedGHz === null ? '' : `, ${cpu.speedGHz} GHz`),
    ],
    ['memory', formatBytes(info.memory.totalBytes)],
    ['GPUs', gpus],
    ['OS', `${os.distro} ${os.release} (${os.platform} ${os.arch}, kernel ${os.kernel})`],
    ['Node.js', info.runtime.nodeVersion],
    ['data folder', info.runtime.dataDir],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const hints = info.onnxruntime.backends.filter((b) => b.hint).map((b) => `  ${b.name}: ${b.hint}`);
  return [...rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`), ...hints].join('\n');
}

/**
 * The bandwidth lines of `system --measure-bandwidth` and `targets`: the bound (the memory's streaming
 * read), onnxruntime's GEMV beside it, how and when — or why it was not measured.
 */
export function formatBandwidth(bandwidth: RooflineBandwidth): string {
  if (bandwidth.status !== 'measured') return `bandwidth (${bandwidth.ep})  ${bandwidth.reason}`;
  const bound =
    bandwidth.ep === 'cpu'
      ? "memory read bandwidth, the roofline's bound"
      : `${bandwidth.ep} device bandwidth, the roofline's bound`;
  const lines = [
    `bandwidth        ${formatGBps(bandwidth.bytesPerSecond)}: ${bound}`,
    `  how            ${bandwidth.method}`,
  ];
  if (bandwidth.kernel) {
    lines.push(
      `kernel           ${formatGBps(bandwidth.kernel.bytesPerSecond)}: what onnxruntime's own kernel reaches here`,
      `  how            ${bandwidth.kernel.method}`,
    );
  }
  lines.push(`measured         ${bandwidth.measuredAt}${bandwidth.fromCache ? ' (cached)' : ''}`);
  return lines.join('\n');
}
