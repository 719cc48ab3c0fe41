import { describe, expect, it } from 'vitest';
import { createSocketBackend } from './socket-backend';

type Listener = (event: { data?: unknown }) => void;

/** A WebSocket stand-in that answers like serve does, or refuses, as a test asks. */
class FakeSocket {
  static instances: FakeSocket[] = [];
  static behaviour: 'answer' | 'refuse' | 'drop' = 'answer';
  readonly sent: string[] = [];
  private listeners = new Map<string, Listener[]>();

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
    queueMicrotask(() => this.emit(FakeSocket.behaviour === 'refuse' ? 'close' : 'open', {}));
  }
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  emit(type: string, event: { data?: unknown }): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  send(text: string): void {
    this.sent.push(text);
    const { id } = JSON.parse(text) as { id: number };
    queueMicrotask(() => {
      if (FakeSocket.behaviour === 'drop') this.emit('close', {});
      else this.emit('message', { data: JSON.stringify({ id, ok: true, result: { answered: id } }) });
    });
  }
}

function backend(token?: string): ReturnType<typeof createSocketBackend> {
  return createSocketBackend({
    origin: 'http://127.0.0.1:7420',
    ...(token ? { token } : {}),
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
  });
}

describe('socket backend', () => {
  it('connects to /api on the page origin, with the token only when given', async () => {
    FakeSocket.behaviour = 'answer';
    FakeSocket.instances = [];
    await backend().system();
    await backend('secret-token').system();
    expect(FakeSocket.instances.map((s) => s.url)).toEqual([
      'ws://127.0.0.1:7420/api',
      'ws://127.0.0.1:7420/api?token=secret-token',
    ]);
  });

  it('matches replies to calls by id over one connection', async () => {
    FakeSocket.behaviour = 'answer';
    FakeSocket.instances = [];
    const b = backend();
    const [first, second] = await Promise.all([b.system(), b.system()]);
    expect(FakeSocket.instances).toHaveLength(1);
    expect(first).toEqual({ answered: 1 });
    expect(second).toEqual({ answered: 2 });
    expect(JSON.parse(FakeSocket.instances[0]!.sent[0]!)).toEqual({ id: 1, method: 'system', args: [] });
  });

  it('says what to check when the server cannot be reached', async () => {
    FakeSocket.behaviour = 'refuse';
    await expect(backend().system()).rejects.toThrow(
      /Could not reach the workbench engine at 127\.0\.0\.1:7420/,
    );
  });

  it('fails pending calls when the connection drops, and reconnects on the next call', async () => {
    FakeSocket.behaviour = 'drop';
    FakeSocket.instances = [];
    const b = backend();
    await expect(b.system()).rejects.toThrow(/Lost the connection/);
    FakeSocket.behaviour = 'answer';
    await expect(b.system()).resolves.toEqual({ answered: 2 });
    expect(FakeSocket.instances).toHaveLength(2);
  });
});

describe('socket backend events', () => {
  it('hands pushed engine events to subscribers, and stops after unsubscribe', async () => {
    FakeSocket.behaviour = 'answer';
    FakeSocket.instances = [];
    const b = backend();
    const seen: unknown[] = [];
    const stop = b.onEvent((event) => seen.push(event));
    await b.system(); // connected
    const payload = { kind: 'sweep', runId: 'r1', event: { type: 'done', status: 'completed' } };
    FakeSocket.instances[0]!.emit('message', { data: JSON.stringify({ event: 'workbench', payload }) });
    stop();
    FakeSocket.instances[0]!.emit('message', { data: JSON.stringify({ event: 'workbench', payload }) });
    expect(seen).toEqual([payload]);
  });
});

describe('socket backend arguments', () => {
  it('leaves omitted optional arguments out instead of sending null', async () => {
    FakeSocket.behaviour = 'answer';
    FakeSocket.instances = [];
    const b = backend();
    await b.startSweep({ models: [] }, undefined);
    expect(JSON.parse(FakeSocket.instances[0]!.sent[0]!)).toEqual({
      id: 1,
      method: 'startSweep',
      args: [{ models: [] }],
    });
  });
});
