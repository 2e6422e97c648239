import type { Case, Customer, Deal, IdentityLink, Interaction, Platform } from '../domain/types.js';
import type { SurveyKind } from '../domain/survey-answer.js';
import type { EventsOf, Store, SubscriptionState } from '../store/port.js';
import { Dispatcher, type Delivery, type DispatcherOptions } from './dispatcher.js';

/** Every event the core publishes; plugins subscribe by name and get a typed payload. */
export interface CoreEvents {
  'message.received': { tenant: string; platform: Platform; channel: string; actor: IdentityLink; interaction: Interaction; permalink: string | null; inReplyTo?: string | null };
  'interaction.recorded': { tenant: string; interaction: Interaction; by: string };
  'customer.created': { tenant: string; customer: Customer };
  'customer.erased': { tenant: string; customerId: number };
  'deal.created': { tenant: string; deal: Deal };
  'deal.stage_changed': { tenant: string; deal: Deal; from: string };
  'deal.won': { tenant: string; deal: Deal };
  'deal.lost': { tenant: string; deal: Deal };
  /** A won or lost deal put back in an open stage; `from` is the stage it left, `by` who reopened it. */
  'deal.reopened': { tenant: string; deal: Deal; from: string; by: string };
  'case.opened': { tenant: string; case: Case };
  'case.closed': { tenant: string; case: Case };
  /**
   * `--demo` loaded a seeded year: the surveys its answers belong to (each answer is a survey_response keyed by
   * surveyAnswerSource) and the listening queries its chat messages match, for plugins to create their records.
   * The demo's messages are published as `message.received` right after, so listening hears them like live ones.
   */
  'demo.loaded': { tenant: string; by: string; at: string; surveys: DemoSurvey[]; queries: { name: string; query: string }[] };
}

export interface DemoSurvey {
  id: string;
  kind: SurveyKind;
  startedAt: string;
  finishedAt: string;
  answers: { customerId: number; identity: string; score: number; why: string | null; answeredAt: string }[];
}
export type EventName = keyof CoreEvents;
/** One event as a fact-writing method appends it. */
export type EventDraft = { [E in EventName]: { name: E; payload: CoreEvents[E] } }[EventName];
type Handler<E extends EventName> = (payload: CoreEvents[E], delivery: Delivery) => Promise<void> | void;
type Observer<E extends EventName> = (payload: CoreEvents[E]) => Promise<void> | void;

export const draft = <E extends EventName>(name: E, payload: CoreEvents[E]): EventDraft => ({ name, payload }) as EventDraft;

export interface EventBusOptions extends Omit<DispatcherOptions, 'onError'> {
  /** A handler or observer failed; the bus goes on. */
  onError: (event: string, error: unknown) => void;
  /** The fault switch: die right after the next fact with events commits, before anything reacts. */
  crashAfterCommit: boolean;
  /** How often a worker without a change stream looks for new and due events. */
  pollMs: number;
}

/**
 * The core's events. A fact and its events are written in one transaction (see `batch`); durable
 * subscriptions (plugins) get them from the log through the dispatcher, which the worker runs; observers
 * (`on`) are this process's own listeners, told after the commit and not durable.
 */
export class EventBus {
  private readonly observers = new Map<EventName, Observer<any>[]>();
  readonly dispatcher: Dispatcher;
  private running = false;
  private timer?: NodeJS.Timeout;
  private unwatch: (() => Promise<void>) | null = null;

  constructor(private readonly store: Store, private readonly opts: EventBusOptions) {
    this.dispatcher = new Dispatcher(store, { ...opts, onError: (where, e) => opts.onError(where, e) });
  }

  /** A listener in this process only, told after an event's fact commits; lost with the process. */
  on<E extends EventName>(event: E, handler: Observer<E>): () => void {
    const list = this.observers.get(event) ?? [];
    list.push(handler);
    this.observers.set(event, list);
    return () => list.splice(list.indexOf(handler), 1);
  }

  /** A durable subscription: every event of this name, in order, at least once, whichever process stored it. */
  subscribe<E extends EventName>(name: string, event: E, handler: Handler<E>): void {
    this.dispatcher.subscribe(name, event, handler as Handler<any>);
  }

  /**
   * This process delivers the log (worker role): a change stream wakes it where the engine has one (MongoDB),
   * else a short poll (SQLite); the poll also brings back retries that came due. Its own facts' reactions
   * are awaited before replying.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unwatch = this.store.system.watchEvents(() => void this.dispatcher.run());
    const every = this.unwatch ? Math.max(this.opts.pollMs, 5000) : this.opts.pollMs;
    this.timer = setInterval(() => void this.dispatcher.run(), every);
    this.timer.unref();
    void this.dispatcher.run();
  }

  /** Stops delivering and waits for the pass under way, so no lease is left behind. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.timer);
    await this.unwatch?.();
    await this.dispatcher.idle();
  }

  /** The tenant's parked subscriptions, for `/crm events`. */
  async parked(tenant: string): Promise<SubscriptionState[]> {
    return (await this.store.system.subscriptions.list({ parked: true })).filter((x) => x.tenant === tenant);
  }

  /** An admin's decision on a parked subscription: try the failed event again, or step over it. */
  async resolveParked(tenant: string, name: string, how: 'retry' | 'skip'): Promise<boolean> {
    const subs = this.store.system.subscriptions;
    const done = how === 'retry' ? await subs.retry(name, tenant) : await subs.skip(name, tenant);
    this.dispatcher.rescan();
    if (done && this.running) void this.dispatcher.run();
    return done;
  }

  /**
   * Events to write with facts: pass `events(fn)` to a fact-writing store method, which appends what `fn`
   * returns in the fact's own transaction; then `published()`.
   */
  batch(): EventBatch {
    return new EventBatch(this);
  }

  /** Appends events that come with no core fact (a demo load, an erasure, a test), then publishes them. */
  async emit<E extends EventName>(event: E, payload: CoreEvents[E]): Promise<void> {
    const tx = this.batch();
    await this.store.tenant(payload.tenant).events.append([{ name: event, payload }], new Date().toISOString());
    tx.add([draft(event, payload)]);
    await tx.published();
  }

  /** @internal The facts of a batch committed: the fault switch, then delivery here, then observers. */
  async afterCommit(drafts: EventDraft[]): Promise<void> {
    if (!drafts.length) return;
    if (this.opts.crashAfterCommit) process.kill(process.pid, 'SIGKILL');
    if (this.running) await this.dispatcher.run();
    for (const d of drafts) {
      for (const h of this.observers.get(d.name) ?? []) {
        try {
          await h(d.payload);
        } catch (e) {
          this.opts.onError(d.name, e);
        }
      }
    }
  }
}

/** The events of one command's facts: each `events(fn)` slot holds what its write appended last. */
export class EventBatch {
  private readonly slots: EventDraft[][] = [];

  constructor(private readonly bus: EventBus) {}

  events<R>(fn: (fact: R) => EventDraft[]): EventsOf<R> {
    const slot = this.slots.push([]) - 1;
    // A transaction the engine retries calls this again: the slot keeps the last call's events.
    return (fact) => (this.slots[slot] = fn(fact));
  }

  /** @internal Events already appended by other means. */
  add(drafts: EventDraft[]): void {
    this.slots.push(drafts);
  }

  /** After the writes returned: reactions are delivered (awaited where this process runs the dispatcher). */
  async published(): Promise<void> {
    const all = this.slots.flat();
    this.slots.length = 0;
    await this.bus.afterCommit(all);
  }
}
