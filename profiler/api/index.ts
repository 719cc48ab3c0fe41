/**
 * The WorkbenchApi contract (method table, channels, dispatch, the socket protocol and client), and the
 * data schemas it carries, re-exported from common/schemas so `from '../api'` reads as one contract.
 */
export * from '../../common/schemas';
export * from './channels';
export * from './dispatch';
export * from './socket-protocol';
export * from './workbench-api';
export * from './socket-client';
