import { defineStore } from 'pinia';
import type { SystemInfo } from '../../../profiler/api';
import { useBackend } from '../backend/workbench-backend';
import { useEngineRead } from './engine-read';

/**
 * The System panel's data: this machine and onnxruntime, as the engine reports them. `load` takes the
 * facts the engine already holds (it probes the hardware once); `refresh` asks it to probe again.
 */
export const useSystemStore = defineStore('system', () => {
  const {
    value: info,
    loading,
    error,
    refresh: read,
  } = useEngineRead<SystemInfo | null, [boolean]>(
    (fresh) => (fresh ? useBackend().system({ refresh: true }) : useBackend().system()),
    null,
  );
  return { info, loading, error, load: () => read(false), refresh: () => read(true) };
});
