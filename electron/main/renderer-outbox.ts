import type { IpcMain, WebContents } from 'electron';
import type { WorkbenchEvent } from '../../profiler/api';
import type { SenderCheck } from './sender-check';

/**
 * What may happen to a queued message when a window's queue is full: `droppable` ones go first (live
 * progress, redrawn by the next one anyway), then `normal` ones; `keep` ones are never dropped (a
 * finished trial, the end of a sweep: the page would show a wrong state forever without them).
 */
export type QueuePriority = 'droppable' | 'normal' | 'keep';

/** Where messages go: a window's web contents. */
export interface OutboxTarget {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
}

export interface OutboxOptions<T> {
  channel: string;
  /** messages held per window before the least important are dropped */
  maxQueued: number;
  priorityOf?: (message: T) => QueuePriority;
  /** queued messages with the same key replace each other: the newer snapshot supersedes the older */
  coalesceKeyOf?: (message: T) => string | undefined;
}

/**
 * Messages from main to the workbench windows on one channel, held per window until its page says it
 * listens (electron/fiddle's pattern): a page that is still loading, or reloading, would otherwise miss
 * what was sent meanwhile — Electron does not queue `webContents.send` for a page that is not there yet.
 */
export interface RendererOutbox<T> {
  /** a new window: not ready until its page says so */
  attach(target: OutboxTarget): void;
  /** the page listens: deliver what was queued, in order, then send directly */
  ready(targetId: number): void;
  /** the page is going away (reload, navigation, crash): queue again until the next page is ready */
  unready(targetId: number): void;
  detach(targetId: number): void;
  /** to every attached window */
  publish(message: T): void;
  /** to one window (a menu command for the focused one) */
  sendTo(targetId: number, message: T): void;
  /** for tests and diagnostics */
  queued(targetId: number): readonly T[];
}

interface Slot<T> {
  target: OutboxTarget;
  ready: boolean;
  queue: T[];
}

export function createRendererOutbox<T>(options: OutboxOptions<T>): RendererOutbox<T> {
  const { channel, maxQueued } = options;
  const priorityOf = options.priorityOf ?? ((): QueuePriority => 'normal');
  const slots = new Map<number, Slot<T>>();

  function trim(queue: T[]): void {
    while (queue.length > maxQueued) {
      let victim = queue.findIndex((message) => priorityOf(message) === 'droppable');
      if (victim < 0) victim = queue.findIndex((message) => priorityOf(message) === 'normal');
      if (victim < 0) return; // only messages that must arrive: the queue may exceed its bound
      queue.splice(victim, 1);
    }
  }

  function enqueue(slot: Slot<T>, message: T): void {
    const key = options.coalesceKeyOf?.(message);
    if (key !== undefined) {
      slot.queue = slot.queue.filter((queued) => options.coalesceKeyOf?.(queued) !== key);
    }
    slot.queue.push(message);
    trim(slot.queue);
  }

  function deliver(slot: Slot<T>, message: T): void {
    if (slot.target.isDestroyed()) {
      slots.delete(slot.target.id);
      return;
    }
    if (slot.ready) slot.target.send(channel, message);
    else enqueue(slot, message);
  }

  return {
    attach(target) {
      if (!slots.has(target.id)) slots.set(target.id, { target, ready: false, queue: [] });
    },
    ready(targetId) {
      const slot = slots.get(targetId);
      if (!slot || slot.ready) return;
      slot.ready = true;
      const pending = slot.queue;
      slot.queue = [];
      for (const message of pending) deliver(slot, message);
    },
    unready(targetId) {
      const slot = slots.get(targetId);
      if (slot) slot.ready = false;
    },
    detach(targetId) {
      slots.delete(targetId);
    },
    publish(message) {
      for (const slot of [...slots.values()]) deliver(slot, message);
    },
    sendTo(targetId, message) {
      const slot = slots.get(targetId);
      if (slot) deliver(slot, message);
    },
    queued: (targetId) => [...(slots.get(targetId)?.queue ?? [])],
  };
}

/**
 * How the engine's events queue: trial progress is droppable (the next sample redraws the chart), a
 * trial's start and quality notes are normal, the rest (trial done or skipped, sweep done) must arrive.
 */
export function workbenchEventPriority(event: WorkbenchEvent): QueuePriority {
  if (event.kind !== 'sweep') return 'normal';
  switch (event.event.type) {
    case 'trial-progress':
      return 'droppable';
    case 'trial-start':
    case 'quality':
      return 'normal';
    default:
      return 'keep';
  }
}

/** Events that are whole snapshots (not sweep steps) supersede the queued older one of their kind. */
export function workbenchEventCoalesceKey(event: WorkbenchEvent): string | undefined {
  return event.kind === 'sweep' ? undefined : event.kind;
}

/** The lifecycle part of an outbox, whatever its message type. */
export type OutboxLifecycle = Pick<RendererOutbox<never>, 'attach' | 'unready' | 'detach'>;

/**
 * Follow one window's page for the outboxes: not ready from the start, again not ready once its main
 * frame has committed another document (a reload) or its renderer process died, and forgotten once the
 * contents are destroyed. Not on `did-start-navigation`: a navigation can start and then be cancelled
 * (security.ts stops every link to another page in `will-navigate`, which Electron emits after
 * `did-start-navigation`), and the page that stays would never say it listens again.
 */
export function watchWindowContents(contents: WebContents, outboxes: readonly OutboxLifecycle[]): void {
  const id = contents.id;
  for (const outbox of outboxes) outbox.attach(contents);
  // main frame, new document only: in-page (hash, pushState) navigations emit did-navigate-in-page
  contents.on('did-navigate', () => {
    for (const outbox of outboxes) outbox.unready(id);
  });
  contents.on('render-process-gone', () => {
    for (const outbox of outboxes) outbox.unready(id);
  });
  contents.once('destroyed', () => {
    for (const outbox of outboxes) outbox.detach(id);
  });
}

/**
 * The page's "I listen" message for one outbox. Ignored (with a warning) from anything but our own
 * windows' top frame: a stranger must not make main send our events to it.
 */
export function bindReadySignal(
  ipc: Pick<IpcMain, 'on' | 'removeListener'>,
  readyChannel: string,
  outbox: Pick<RendererOutbox<unknown>, 'ready'>,
  isTrustedSender: SenderCheck,
): () => void {
  const listener = (event: Electron.IpcMainEvent): void => {
    if (!isTrustedSender(event)) {
      console.warn(`Ignored ${readyChannel} from a frame that is not the workbench window.`);
      return;
    }
    outbox.ready(event.sender.id);
  };
  ipc.on(readyChannel, listener);
  return () => void ipc.removeListener(readyChannel, listener);
}
