import type { ExecutionProvider, SystemInfo } from '../../../../profiler/api';
import { EXECUTION_PROVIDERS } from '../../stores/builder-store';
import type { ChipOption } from './chip-option';

/**
 * The execution providers as chips: those the installed onnxruntime-node can use are enabled; the others
 * are disabled with the engine's hint (or why it is not offered). CPU ships in every build.
 */
export function epOptions(
  info: SystemInfo | null,
  systemError: string | null,
): ChipOption<ExecutionProvider>[] {
  return EXECUTION_PROVIDERS.map((ep) => {
    if (!info) {
      if (ep === 'cpu') return { value: ep, label: ep };
      const disabledReason = systemError
        ? `unknown: the engine's system facts could not be read (${systemError})`
        : "checking the engine's onnxruntime build…";
      return { value: ep, label: ep, disabledReason };
    }
    const backend = info.onnxruntime.backends.find((entry) => entry.name === ep);
    if (!backend)
      return {
        value: ep,
        label: ep,
        disabledReason: `not offered by onnxruntime-node ${info.onnxruntime.version} on ${info.os.platform} ${info.os.arch}`,
      };
    if (!backend.installed) return { value: ep, label: ep, disabledReason: backend.hint ?? 'not installed' };
    if (ep === 'cpu') return { value: ep, label: ep };
    // bundled is not working: WebGPU ships everywhere and fails without a GPU adapter; the engine tries
    // each provider once (cached) and the builder offers only those that ran
    if (!backend.check)
      return {
        value: ep,
        label: ep,
        disabledReason: 'not tried on this machine yet: its engine did not say it runs',
      };
    if (!backend.check.usable)
      return {
        value: ep,
        label: ep,
        disabledReason: `cannot run here: ${backend.check.reason ?? 'its session could not be created'}`,
      };
    return { value: ep, label: ep };
  });
}
