import { describeZodError } from '../../common/zod-errors';
import type { SocketError } from './socket-protocol';
import { isWorkbenchMethodName } from './channels';
import { workbenchMethods, type WorkbenchApi } from './workbench-api';

/** An error a front door reports to its client as it is: the message is written for people. */
export class WorkbenchCallError extends Error {
  constructor(
    readonly code: SocketError['code'],
    message: string,
  ) {
    super(message);
    this.name = 'WorkbenchCallError';
  }
}

/**
 * Validate untrusted arguments against the method's schema, then call the engine. Every door (IPC,
 * WebSocket) goes through here, so no door can skip validation.
 */
export async function dispatchWorkbenchCall(
  api: WorkbenchApi,
  method: unknown,
  rawArgs: unknown,
): Promise<unknown> {
  if (!isWorkbenchMethodName(method)) {
    throw new WorkbenchCallError('unknown-method', `Unknown WorkbenchApi method ${JSON.stringify(method)}.`);
  }
  const parsed = workbenchMethods[method].args.safeParse(rawArgs);
  if (!parsed.success) {
    throw new WorkbenchCallError(
      'invalid-arguments',
      `Invalid arguments for ${method}: ${describeZodError(parsed.error, 'args')}`,
    );
  }
  const call = api[method] as (...args: unknown[]) => Promise<unknown>;
  return call(...(parsed.data as unknown[]));
}
