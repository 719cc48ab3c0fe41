import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * A full garbage collection, for the trial process between untimed steps. onnxruntime-node returns
 * every output as a new JS buffer, so a long context's KV cache (GBs) is copied out at each step; left
 * to V8's schedule, several dead copies pile up and the peak RSS measures the garbage collector's lag
 * rather than what the model needs. `--expose-gc` is switched on here, so no launcher flag is needed
 * (Electron's utilityProcess takes no V8 flags from us).
 */
let gc: (() => void) | undefined;

export function collectGarbage(): void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
}
