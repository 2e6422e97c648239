import { randomUUID } from 'node:crypto';
import type { ChatEvent } from '../chat/event.js';
import type { Reply } from '../chat/reply.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { InboxItem, Store } from '../store/port.js';
import { GroupCommit } from '../store/group-commit.js';
import { FairQueue } from './queue.js';

export interface IngressOptions<O = unknown> {
  holder: string;
  clock: () => number;
  /** Requests waiting or running at most; beyond it a platform gets its busy answer and nothing is recorded. */
  capacity?: number;
  /** Requests of different identities handled side by side. */
  concurrency?: number;
  /** With fewer requests than this ahead, the caller may wait for the answer and send it with the ack. */
  inlineAhead?: number;
  /** How long a recorded request belongs to its process before another may replay it. */
  leaseMs?: number;
  /** Group commit of inbox writes: window and batch size. */
  windowMs?: number;
  maxBatch?: number;
  /** Where admitted events are handled; the host's `process` in this thread unless given (a processing thread). */
  processor?: Processor<O>;
}

/** Handles one admitted event (`replay`: recorded by a process that died) and returns its outcome. */
export type Processor<O> = (ev: ChatEvent, replay: boolean) => Promise<O>;

/** How often a submitter waiting for room looks again: the queue drains thousands of requests a second. */
const ROOM_POLL_MS = 50;

export type Accepted<O> =
  | { kind: 'busy' }
  /** `id` null: refused at the door (rate limits), not recorded; the refusal is the inline answer. */
  | { kind: 'accepted'; id: string | null; ahead: number; inline: boolean; outcome: Promise<O> };

interface Job<O> {
  id: string;
  ev: ChatEvent;
  /** Recorded by a process that died: the engine may have marked it seen before its effects were stored. */
  replay?: true;
  settle: (o: Promise<O>) => void;
}

/** What the ingress needs of the engine. */
export interface IngressHost<O> {
  store: Store;
  outbox: Outbox;
  log: Logger;
  tenantFor(platform: ChatEvent['platform'], scope: string | null): string;
  /** A refusal (rate limits) given at the door, before anything is recorded; null to go on. */
  admit(ev: ChatEvent): Promise<O | null> | O | null;
  /** Handles an admitted event; a `replay` is handled even if marked seen, its effects deduplicated by its event id. */
  process(ev: ChatEvent, admitted: true, replay: boolean): Promise<O>;
  repliesFor(out: O): Reply[];
}

/**
 * The path between a verified request and its answer. A request is recorded in the inbox (group-committed
 * with the others of the same few milliseconds) before the platform gets its ack, then handled from a fair,
 * bounded queue. A request whose process died after the ack is replayed by whichever process finds its lease
 * run out; its answer then goes through the outbox to the person, since the original connection is gone.
 */
export class Ingress<O> {
  private readonly queue: FairQueue<Job<O>>;
  private readonly appends: GroupCommit<InboxItem>;
  private readonly dones: GroupCommit<string>;
  private readonly inFlight = new Set<string>();
  private readonly marking = new Set<Promise<void>>();
  /** Answers of replayed requests on their way to the outbox; a graceful stop waits for them too. */
  private readonly answering = new Set<Promise<void>>();
  private readonly opts: Required<Omit<IngressOptions<O>, 'processor'>>;
  private readonly processor: Processor<O>;
  /** Requests between the door and the queue (rate limits, inbox append): they are ahead of the next one too. */
  private admitting = 0;
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(private readonly host: IngressHost<O>, opts: IngressOptions<O>) {
    const { processor, ...rest } = opts;
    this.opts = { capacity: 2000, concurrency: 16, inlineAhead: 64, leaseMs: 10_000, windowMs: 2, maxBatch: 128, ...rest };
    this.processor = processor ?? ((ev, replay) => host.process(ev, true, replay));
    const inbox = host.store.system.inbox;
    this.queue = new FairQueue({
      capacity: this.opts.capacity, concurrency: this.opts.concurrency, yieldBetween: processor === undefined, onError: (e) => host.log.error({ err: String(e) }, 'queued event failed'),
    }, (job) => this.run(job));
    this.appends = new GroupCommit({ windowMs: this.opts.windowMs, maxItems: this.opts.maxBatch }, (items) => inbox.append(items));
    this.dones = new GroupCommit({ windowMs: this.opts.windowMs, maxItems: this.opts.maxBatch }, (ids) => inbox.done(ids));
  }

  /** Requests waiting or running in this process. */
  get depth(): number {
    return this.queue.size;
  }

  /**
   * Records the event and queues it. `busy` (nothing recorded) when the queue is full; over the rate limits
   * the refusal at once (nothing recorded); otherwise the answer to come, and whether so little is ahead that
   * waiting for it keeps the ack fast. `queuedAnswer`: the answer address an event gets when it is not answered
   * inline, so its adapter delivers the answer where the work is done and the caller waits on nothing.
   */
  async submit(ev: ChatEvent, opts: { queuedAnswer?: Record<string, unknown> } = {}): Promise<Accepted<O>> {
    const ahead = this.queue.size + this.admitting;
    if (ahead >= this.opts.capacity) return { kind: 'busy' };
    const inline = ahead < this.opts.inlineAhead;
    this.admitting++;
    let recorded: { id: string } | { refused: O };
    try {
      recorded = await this.record(ev, inline, opts);
    } finally {
      this.admitting--;
    }
    if ('refused' in recorded) return { kind: 'accepted', id: null, ahead, inline: true, outcome: Promise.resolve(recorded.refused) };
    const { id } = recorded;
    let settle!: Job<O>['settle'];
    const outcome = new Promise<O>((ok) => (settle = ok));
    this.inFlight.add(id);
    // Recorded means queued: its place was counted at the door, even if replays filled the queue meanwhile.
    this.queue.push(this.tenant(ev), ev.actor.identity, { id, ev, settle }, true);
    return { kind: 'accepted', id, ahead, inline, outcome };
  }

  /** The door: the rate limits' refusal, or the event recorded in the inbox under a new id. */
  private async record(ev: ChatEvent, inline: boolean, opts: { queuedAnswer?: Record<string, unknown> }): Promise<{ id: string } | { refused: O }> {
    const refused = await this.host.admit(ev);
    if (refused) return { refused };
    if (!inline && opts.queuedAnswer) ev.answer = opts.queuedAnswer;
    const id = `${this.opts.clock().toString(36).padStart(9, '0')}-${randomUUID()}`;
    // The event id is what makes a replay after a crash a no-op when the first run had finished.
    ev.eventId ??= `inbox:${id}`;
    const until = new Date(this.opts.clock() + this.opts.leaseMs).toISOString();
    await this.appends.add({ id, event: JSON.stringify(ev), holder: this.opts.holder, leaseUntil: until });
    return { id };
  }

  /**
   * For events no one waits on an answer for (chatter, edits and deletions from a gateway or long polling, which
   * the platform will not send again): over capacity it waits for room instead of refusing, so none is dropped.
   */
  async submitWhenRoom(ev: ChatEvent, opts: { queuedAnswer?: Record<string, unknown> } = {}): Promise<Exclude<Accepted<O>, { kind: 'busy' }>> {
    for (;;) {
      const accepted = await this.submit(ev, opts);
      if (accepted.kind !== 'busy') return accepted;
      await new Promise((r) => setTimeout(r, ROOM_POLL_MS));
    }
  }

  /** Replays what dead processes left, now and every few seconds, and keeps this process's leases alive. */
  start(): void {
    const tick = () => {
      this.sweeping = this.sweep().catch((e: unknown) => this.host.log.error({ err: String(e) }, 'inbox sweep failed'));
    };
    tick();
    this.timer = setInterval(tick, Math.max(100, Math.floor(this.opts.leaseMs / 3)));
    this.timer.unref();
  }

  /** Handles everything accepted before returning, so a graceful stop leaves nothing to replay. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
    await this.queue.drained();
    await Promise.all([...this.marking]);
    await Promise.all([...this.answering]);
  }

  private tenant(ev: ChatEvent): string {
    return this.host.tenantFor(ev.platform, ev.scope);
  }

  private async run(job: Job<O>): Promise<void> {
    const result = this.processor(job.ev, job.replay === true);
    try {
      await result;
    } catch (e) {
      // Thrown again on replay: marked done like a success so one bad event cannot loop.
      this.host.log.error({ err: String(e), eventId: job.ev.eventId }, 'queued event failed');
    }
    // The queue slot is free at once; the answer waits for the done mark, so whoever gets it sees the inbox without it.
    const marked = this.dones.add(job.id).then(
      () => void this.inFlight.delete(job.id),
      (e: unknown) => this.host.log.error({ err: String(e) }, 'inbox done mark failed; the event will be replayed and deduplicated'),
    ).finally(() => this.marking.delete(marked));
    this.marking.add(marked);
    job.settle(marked.then(() => result));
  }

  private async sweep(): Promise<void> {
    const inbox = this.host.store.system.inbox;
    const now = this.opts.clock();
    const until = new Date(now + this.opts.leaseMs).toISOString();
    if (this.inFlight.size) await inbox.extend([...this.inFlight], this.opts.holder, until);
    const room = this.opts.capacity - this.queue.size;
    if (room <= 0) return;
    for (const item of await inbox.claimStale(this.opts.holder, new Date(now).toISOString(), until, Math.min(room, 500))) {
      const ev = JSON.parse(item.event) as ChatEvent;
      this.inFlight.add(item.id);
      const settle = (o: Promise<O>) => {
        const answered = o.then((out) => this.replyLater(item.id, ev, out))
          .catch((e: unknown) => this.host.log.error({ err: String(e) }, 'answer of a replayed event not sent'))
          .finally(() => this.answering.delete(answered));
        this.answering.add(answered);
      };
      this.queue.push(this.tenant(ev), ev.actor.identity, { id: item.id, ev, replay: true, settle }, true);
    }
  }

  /** A replayed request's answer: to the person through the outbox, once per reply; one with an answer address was answered there by its adapter. */
  private async replyLater(id: string, ev: ChatEvent, out: O): Promise<void> {
    if (ev.answer) return;
    await this.host.outbox.sendReplies(this.tenant(ev), { platform: ev.platform, target: ev.actor.identity, replies: this.host.repliesFor(out), key: `inbox:${id}` });
  }
}
