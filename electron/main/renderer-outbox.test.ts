import type { WebContents } from 'electron';
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { TrialResult, WorkbenchEvent } from '../../profiler/api';
import {
  bindReadySignal,
  createRendererOutbox,
  watchWindowContents,
  workbenchEventCoalesceKey,
  workbenchEventPriority,
  type OutboxTarget,
} from './renderer-outbox';

function fakeTarget(id = 1): OutboxTarget & { sent: unknown[]; destroyed: boolean } {
  const target = {
    id,
    sent: [] as unknown[],
    destroyed: false,
    isDestroyed: () => target.destroyed,
    send: (channel: string, payload: unknown) => void target.sent.push([channel, payload]),
  };
  return target;
}

const sweep = (event: Extract<WorkbenchEvent, { kind: 'sweep' }>['event']): WorkbenchEvent => ({
  kind: 'sweep',
  runId: 'r1',
  event,
});
const progress = (n: number) => sweep({ type: 'trial-progress', key: `t${n}`, progress: { phase: 'load' } });
const start = (n: number) =>
  sweep({ type: 'trial-start', index: n, total: 9, key: `t${n}`, label: `trial ${n}`, etaSeconds: 1 });
const trialDone = (n: number) =>
  sweep({
    type: 'trial-done',
    index: n,
    total: 9,
    key: `t${n}`,
    label: `trial ${n}`,
    result: {} as TrialResult,
    etaSeconds: 1,
  });
const sweepDone = sweep({ type: 'done', status: 'completed' });

function eventOutbox(maxQueued = 100) {
  return createRendererOutbox<WorkbenchEvent>({
    channel: 'workbench:event',
    maxQueued,
    priorityOf: workbenchEventPriority,
    coalesceKeyOf: workbenchEventCoalesceKey,
  });
}

describe('the renderer outbox', () => {
  it('holds events for a window until its page listens, then delivers them in order and sends directly', () => {
    const outbox = eventOutbox();
    const window = fakeTarget();
    outbox.attach(window);
    outbox.publish(start(1));
    outbox.publish(trialDone(1));
    expect(window.sent).toEqual([]);
    outbox.ready(window.id);
    outbox.publish(sweepDone);
    expect(window.sent).toEqual([
      ['workbench:event', start(1)],
      ['workbench:event', trialDone(1)],
      ['workbench:event', sweepDone],
    ]);
  });

  it('queues again while a window reloads, for the new page', () => {
    const outbox = eventOutbox();
    const window = fakeTarget();
    outbox.attach(window);
    outbox.ready(window.id);
    outbox.unready(window.id);
    outbox.publish(trialDone(2));
    expect(window.sent).toEqual([]);
    outbox.ready(window.id);
    expect(window.sent).toEqual([['workbench:event', trialDone(2)]]);
  });

  it('keeps each window apart: one ready, one still loading', () => {
    const outbox = eventOutbox();
    const [first, second] = [fakeTarget(1), fakeTarget(2)];
    outbox.attach(first);
    outbox.attach(second);
    outbox.ready(1);
    outbox.publish(sweepDone);
    expect(first.sent).toHaveLength(1);
    expect(outbox.queued(2)).toEqual([sweepDone]);
  });

  it('when full, drops the oldest progress first, then starts, and never a finished trial or sweep', () => {
    const outbox = eventOutbox(4);
    const window = fakeTarget();
    outbox.attach(window);
    for (const event of [progress(1), start(1), progress(2), trialDone(1), progress(3)])
      outbox.publish(event);
    expect(outbox.queued(1)).toEqual([start(1), progress(2), trialDone(1), progress(3)]);
    outbox.publish(trialDone(2));
    outbox.publish(sweepDone);
    expect(outbox.queued(1)).toEqual([start(1), trialDone(1), trialDone(2), sweepDone]);
    outbox.publish(trialDone(3));
    // only must-arrive events left: the queue grows past its bound rather than lose one
    expect(outbox.queued(1)).toEqual([trialDone(1), trialDone(2), sweepDone, trialDone(3)]);
    outbox.publish(trialDone(4));
    expect(outbox.queued(1)).toHaveLength(5);
  });

  it('keeps only the newest of a snapshot event (the agents list)', () => {
    const outbox = createRendererOutbox<{ kind: string; n: number }>({
      channel: 'c',
      maxQueued: 10,
      coalesceKeyOf: (message) => (message.kind === 'agents' ? 'agents' : undefined),
    });
    outbox.attach(fakeTarget());
    outbox.publish({ kind: 'agents', n: 1 });
    outbox.publish({ kind: 'sweep', n: 2 });
    outbox.publish({ kind: 'agents', n: 3 });
    expect(outbox.queued(1)).toEqual([
      { kind: 'sweep', n: 2 },
      { kind: 'agents', n: 3 },
    ]);
  });

  it('sends to one window only with sendTo, and forgets destroyed windows', () => {
    const outbox = createRendererOutbox<string>({ channel: 'workbench-desktop:menu', maxQueued: 5 });
    const [first, second] = [fakeTarget(1), fakeTarget(2)];
    outbox.attach(first);
    outbox.attach(second);
    outbox.ready(1);
    outbox.ready(2);
    outbox.sendTo(2, 'history');
    expect(first.sent).toEqual([]);
    expect(second.sent).toEqual([['workbench-desktop:menu', 'history']]);
    second.destroyed = true;
    outbox.publish('compare');
    expect(second.sent).toHaveLength(1);
    expect(first.sent).toEqual([['workbench-desktop:menu', 'compare']]);
  });
});

describe('following a window for the outboxes', () => {
  function fakeContents(id = 7) {
    const contents = Object.assign(new EventEmitter(), {
      id,
      isDestroyed: () => false,
      send: vi.fn(),
    });
    return contents;
  }

  it('is not ready once a new document committed (reload) or after a renderer crash, and forgets on destroy', () => {
    const outbox = eventOutbox();
    const contents = fakeContents();
    watchWindowContents(contents as unknown as WebContents, [outbox]);
    outbox.publish(sweepDone);
    outbox.ready(7);
    expect(contents.send).toHaveBeenCalledOnce();

    // a navigation that starts and is then cancelled (a link stopped by will-navigate) changes nothing
    contents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    contents.emit('did-navigate-in-page', {}, `file:///app/index.html#/history`);
    outbox.publish(sweepDone);
    expect(contents.send).toHaveBeenCalledTimes(2);

    contents.emit('did-navigate', {}, 'file:///app/index.html', 200, 'OK');
    outbox.publish(sweepDone);
    expect(contents.send).toHaveBeenCalledTimes(2);
    expect(outbox.queued(7)).toHaveLength(1);

    outbox.ready(7);
    contents.emit('render-process-gone', {}, { reason: 'crashed' });
    outbox.publish(sweepDone);
    expect(outbox.queued(7)).toHaveLength(1);

    contents.emit('destroyed');
    expect(outbox.queued(7)).toEqual([]);
  });
});

describe('the ready signal', () => {
  it("marks the sender's window ready when it is our window, and ignores anyone else", () => {
    const listeners = new Map<string, (event: Electron.IpcMainEvent) => void>();
    const ipc = {
      on: (channel: string, listener: (event: Electron.IpcMainEvent) => void) =>
        listeners.set(channel, listener),
      removeListener: (channel: string) => listeners.delete(channel),
    };
    const outbox = { ready: vi.fn() };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const stop = bindReadySignal(
      ipc as never,
      'workbench:renderer-ready',
      outbox,
      (event) => event.sender.id === 1,
    );
    const signal = listeners.get('workbench:renderer-ready')!;
    signal({ sender: { id: 2 } } as Electron.IpcMainEvent);
    expect(outbox.ready).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Ignored workbench:renderer-ready/));
    signal({ sender: { id: 1 } } as Electron.IpcMainEvent);
    expect(outbox.ready).toHaveBeenCalledWith(1);
    stop();
    expect(listeners.size).toBe(0);
    warn.mockRestore();
  });
});
