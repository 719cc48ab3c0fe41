import { vi, type Mock } from 'vitest';
import type { SocketConnection, WorkbenchApi, WorkbenchEvent, WorkbenchMethodName } from '../../profiler/api';
import { workbenchMethodNames } from '../../profiler/api/channels';
import type { WorkbenchBackend } from '../src/backend/workbench-backend';

/** Every WorkbenchApi method as a vitest mock: stubbed per test, asserted on, re-stubbed with mock…Once. */
export type FakeMethods = { [M in WorkbenchMethodName]: Mock<WorkbenchApi[M]> };

export type FakeBackend = FakeMethods & {
  readonly kind: WorkbenchBackend['kind'];
  readonly location: string;
  onEvent: Mock<WorkbenchBackend['onEvent']>;
  /** only on the socket door, as on the real one: the desktop door cannot drop */
  onConnection?: Mock<NonNullable<WorkbenchBackend['onConnection']>>;
  /** the engine sends an event to whoever subscribed with onEvent */
  emit(event: WorkbenchEvent): void;
  /** the socket's connection changes (closed, open again), heard by onConnection's listeners */
  emitConnection(connection: SocketConnection): void;
};

export interface FakeDoor {
  /** 'socket' (default): serve's WebSocket, with onConnection; 'electron': the desktop bridge, without */
  kind?: WorkbenchBackend['kind'];
  location?: string;
}

/**
 * The engine for renderer tests, shaped as both real backends are (one async method per WorkbenchApi
 * method, onEvent, and onConnection on the socket door). A method the test gives no implementation
 * rejects with "not stubbed: <method>", so a store calling what the test did not expect fails loudly
 * instead of reading undefined:
 *
 *   const backend = createFakeBackend({ listRuns: async () => ({ runs: [], problems: [] }) });
 *   provideBackend(backend);
 *   backend.emit({ kind: 'sweep', runId: 'r1', event: { type: 'done', status: 'completed' } });
 */
export function createFakeBackend(
  implementations: Partial<WorkbenchApi> = {},
  door: FakeDoor = {},
): FakeBackend {
  const eventListeners = new Set<(event: WorkbenchEvent) => void>();
  const connectionListeners = new Set<(connection: SocketConnection) => void>();
  const kind = door.kind ?? 'socket';
  // fromEntries loses each method's own type; the names are the contract's one list (channels.ts)
  const methods = Object.fromEntries(
    workbenchMethodNames.map((method) => [
      method,
      vi.fn(
        implementations[method] ??
          (async () => {
            throw new Error(
              `not stubbed: ${method} — give the test's createFakeBackend({ ${method}: … }) an implementation`,
            );
          }),
      ),
    ]),
  ) as FakeMethods;
  return {
    ...methods,
    kind,
    location: door.location ?? 'test',
    onEvent: vi.fn((listener: (event: WorkbenchEvent) => void) => {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    }),
    ...(kind === 'socket'
      ? {
          onConnection: vi.fn((listener: (connection: SocketConnection) => void) => {
            connectionListeners.add(listener);
            return () => connectionListeners.delete(listener);
          }),
        }
      : {}),
    emit: (event) => eventListeners.forEach((listener) => listener(event)),
    emitConnection: (connection) => connectionListeners.forEach((listener) => listener(connection)),
  };
}
