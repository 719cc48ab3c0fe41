export * from './channels';
export * from './dispatch';
export * from './format-errors';
export * from './socket-protocol';
export * from './system-info';
export * from './units';
export * from './workbench-api';
