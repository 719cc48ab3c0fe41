/// <reference types="vite/client" />
import type { WorkbenchApi, WorkbenchEvents } from '../../profiler/api';

declare global {
  interface Window {
    /** exposed by electron/preload in the desktop app only */
    workbench?: WorkbenchApi & WorkbenchEvents;
    /** desktop-only abilities (electron/preload): dialogs and PDF printing; read through desktopBridge() */
    workbenchDesktop?: unknown;
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
