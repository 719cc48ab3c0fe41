import { defineStore } from 'pinia';
import type { SystemInfo } from '../../../profiler/api';
import { useBackend } from '../backend/workbench-backend';
import { useEngineRead } from './engine-read';

/** The System panel's data: this machine and onnxruntime, as the engine reports them. */
export const useSystemStore = defineStore('system', () => {
  const {
    value: info,
    loading,
    error,
    refresh,
  } = useEngineRead<SystemInfo | null>(() => useBackend().system(), null);
  return { info, loading, error, refresh };
});
