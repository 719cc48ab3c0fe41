/// <reference types="vite/client" />
import type { WorkbenchApi, WorkbenchEvents } from '../../profiler/api';

declare global {
  interface Window {
    /** exposed by electron/preload in the desktop app only */
    workbench?: WorkbenchApi & WorkbenchEvents;
    /** desktop-only abilities (electron/preload): printing a run's HTML report to a PDF file */
    workbenchDesktop?: { saveReportPdf(runId: string): Promise<string | null> };
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
