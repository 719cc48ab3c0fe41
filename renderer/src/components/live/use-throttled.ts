import { onScopeDispose, shallowRef, watch, type ShallowRef } from 'vue';

/**
 * `source()` at most once per `intervalMs` (leading and trailing): the live chart redraws at ~4 Hz however
 * fast decode steps arrive, so a fast model cannot flood the main thread with chart updates.
 */
export function useThrottled<T>(source: () => T, intervalMs: number): Readonly<ShallowRef<T>> {
  const value = shallowRef(source());
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastUpdateMs = -Infinity; // Date.now() of the last update

  function flush(): void {
    timer = undefined;
    lastUpdateMs = Date.now();
    value.value = source();
  }

  watch(source, () => {
    if (timer !== undefined) return;
    timer = setTimeout(flush, Math.max(0, lastUpdateMs + intervalMs - Date.now()));
  });
  onScopeDispose(() => clearTimeout(timer));
  return value;
}
