/**
 * What a host gives createEngine to start trial processes its own way (Electron's utilityProcess in the
 * desktop app; child_process.fork by default): a handle speaking the trial protocol.
 */
export type { TrialProcessHandle, TrialProcessLauncher } from '../bench/trial-host';
export type { TrialChildMessage, TrialParentMessage } from '../bench/trial-messages';
export { TRIAL_PROCESS_ENV } from '../bench/trial-process-env';
