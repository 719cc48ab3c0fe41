import { ref, type Ref } from 'vue';

/**
 * One value read from the engine, with the state a screen shows while it loads or when it fails:
 * the last good value stays until a new one arrives. Setup stores build on it.
 */
export function useEngineRead<T, A extends unknown[] = []>(read: (...args: A) => Promise<T>, initial: T) {
  const value = ref(initial) as Ref<T>;
  const loading = ref(false);
  const error = ref<string | null>(null);

  async function refresh(...args: A): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      value.value = await read(...args);
    } catch (cause) {
      error.value = cause instanceof Error ? cause.message : String(cause);
    } finally {
      loading.value = false;
    }
  }

  return { value, loading, error, refresh };
}
