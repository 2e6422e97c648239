import type { CoreConfig } from './config.js';
import type { ChatEvent } from './chat/event.js';
import type { Field, Reply } from './chat/reply.js';
import { Commands, RateError } from './commands/router.js';
import { ensureCustomerRecord, identityWithGrant, roleGrants } from './commands/role-grants.js';
import type { CommandContext, PrivacyHooks } from './commands/types.js';
import type { Customer, IdentityLink, Platform, Role } from './domain/types.js';
import { EventBus, draft } from './events/bus.js';
import { crashAfterCommitArmed } from './events/fault.js';
import type { Logger } from './logger.js';
import { Outbox, type OutboxOptions } from './outbox/outbox.js';
import { RateLimiter, type Admission } from './rate-limit.js';
import { StoreHealth } from './store-health.js';
import { Metrics } from './metrics.js';
import { Scheduler } from './scheduler/scheduler.js';
import { tenantSettings, type TenantSettings } from './settings.js';
import type { Store } from './store/port.js';
import { canonicalZone } from './domain/time-zone.js';
import { touchChangesNothing } from './domain/identity-touch.js';
import { trackFirstResponses } from './sales/cases.js';
import { Ingress, type Processor } from './ingress/ingress.js';
import { commandOnce } from './commands/once.js';
import { FAILED_TEXT } from './chat/ack-texts.js';

/** What a platform's adapter does where its requests are handled (the processing thread when there is one). */
export interface RequestHooks {
  platform: Platform;
  /** Before the engine handles one of this platform's requests: fills in what only the platform can tell (the person's name). */
  complete?(engine: Engine, ev: ChatEvent): Promise<void>;
  /** After: shows the replies at the event's `answer` address (which this adapter wrote). Nobody waits for it; the engine logs a failure. */
  answer?(engine: Engine, ev: ChatEvent, replies: Reply[]): Promise<void>;
}

export interface EngineOptions {
  config: CoreConfig;
  store: Store;
  logger: Logger;
  /** Identifies this process in leases and job ticks. */
  holder: string;
  clock?: () => number;
  /** Outbound pace per platform (messages/s and burst); defaults suit each platform's published limits. */
  outboxRates?: OutboxOptions['rates'];
  /** Handles admitted requests elsewhere (a processing thread), with this many side by side; here by default. */
  processing?: { processor: Processor<Outcome>; concurrency: number };
}

/**
 * The platform-neutral heart: turns a normalized ChatEvent into stored facts, bus events and replies.
 * Adapters call `handle`; plugins reach it through the plugin context.
 */
export class Engine {
  readonly commands = new Commands((r) => this.log.info(r, 'command refused'));
  readonly bus: EventBus;
  readonly outbox: Outbox;
  readonly scheduler: Scheduler;
  readonly store: Store;
  readonly config: CoreConfig;
  readonly log: Logger;
  readonly metrics = new Metrics();
  readonly limiter: RateLimiter;
  readonly health: StoreHealth;
  /** Records, queues and paces inbound requests; adapters submit to it instead of waiting on `process`. */
  readonly ingress: Ingress<Outcome>;
  private readonly clock: () => number;
  private readonly exporters: { name: string; fn: (tenant: string, customerId: number) => Promise<unknown> }[] = [];
  private readonly erasers: ((tenant: string, customerId: number) => Promise<void>)[] = [];
  private readonly cardContributors: ((tenant: string, customerId: number) => Promise<Field[]>)[] = [];
  private readonly toldScopes = new Set<string>();
  /** The adapters whose `complete` and `answer` run where requests are handled, by platform. */
  private readonly adapters = new Map<ChatEvent['platform'], RequestHooks>();
  /** Answers on their way to an event's address; a graceful stop waits for them (`answersDelivered`). */
  private readonly answering = new Set<Promise<void>>();
  /** Each person's latest answer under way: the next one starts after it, so a person's answers arrive in the order asked. */
  private readonly lastAnswer = new Map<string, Promise<void>>();

  constructor(opts: EngineOptions) {
    this.config = opts.config;
    this.store = opts.store;
    this.log = opts.logger;
    this.clock = opts.clock ?? Date.now;
    this.bus = new EventBus(opts.store, {
      ...opts.config.file.events, holder: opts.holder, clock: Date.now, leaseMs: 30_000, batch: 100,
      crashAfterCommit: crashAfterCommitArmed(opts.config.env),
      onError: (event, e) => {
        // A plugin that could not save shows on /healthz even though the bus keeps going.
        this.health.note(e);
        this.log.error({ event, err: String(e) }, 'event handler failed');
      },
      onPark: (sub) => {
        this.log.error({ subscription: sub.name, tenant: sub.tenant, position: sub.position, err: sub.error }, 'event subscription parked: see /crm events');
      },
    });
    this.outbox = new Outbox(opts.store, {
      holder: opts.holder,
      clock: this.clock,
      rates: opts.outboxRates,
      onError: (e) => {
        this.health.note(e);
        this.log.error({ err: String(e) }, 'outbox pass failed');
      },
      onEvent: (e) => {
        const platform = e.item.platform;
        if (e.type === 'sent') this.metrics.outboxSent.inc({ platform });
        if (e.type === 'retry') this.metrics.outboxRetries.inc({ platform });
        if (e.type === 'retry' && /429|rate/i.test(e.detail ?? '')) this.metrics.rateLimited.inc({ platform });
        if (e.type === 'dead') {
          this.metrics.outboxDead.inc({ platform });
          this.log.warn({ platform, tenant: e.item.tenant, outboxId: e.item.id, reason: e.detail }, 'outbound message dead-lettered');
        }
      },
    });
    trackFirstResponses(this.bus, this.store);
    this.scheduler = new Scheduler(opts.store, opts.holder, (job, e) => this.log.error({ job, err: String(e) }, 'job failed'), (job) => this.metrics.jobRuns.inc({ job }));
    this.metrics.gauge('crm_outbox_depth', 'Pending outbound messages by platform', async () =>
      Object.entries(await this.store.system.outbox.depth()).map(([platform, n]) => [{ platform }, n ?? 0]));
    this.metrics.gauge('crm_events_parked', 'Durable event subscriptions parked after failing (see /crm events)', async () =>
      [[{}, (await this.store.system.subscriptions.list({ parked: true })).length]]);
    this.limiter = new RateLimiter(opts.store.system.rateBuckets, opts.config.file.rateLimit, this.clock);
    this.health = new StoreHealth(opts.store, this.clock, opts.logger);
    this.ingress = new Ingress(this, { holder: opts.holder, clock: this.clock, processor: (ev, replay) => this.processAdmitted(ev, replay), ...opts.processing });
  }

  now(): string {
    return new Date(this.clock()).toISOString();
  }

  settings(tenant: string): TenantSettings {
    return tenantSettings(this.config.file, tenant);
  }

  /** The tenant a platform scope (Slack team, Discord guild, Telegram chat) belongs to. */
  tenantFor(platform: ChatEvent['platform'], scope: string | null): string {
    const file = this.config.file;
    if (scope) {
      const key = ({ slack: 'slackTeams', discord: 'discordGuilds', telegram: 'telegramChats', web: null } as const)[platform];
      const t = key ? file.tenants.find((x) => x[key].includes(scope)) : undefined;
      if (t) return t.id;
    }
    return file.defaultTenant;
  }

  /**
   * Null when the scope may be served; otherwise the one reply that says how an admin maps it. With
   * tenants configured an unlisted Slack team, Discord guild or Telegram group is refused unless the
   * config file says `"unmappedScopes": "default"`. DMs (no scope, or a Telegram private chat) are
   * always the default tenant's.
   */
  unmappedScope(platform: ChatEvent['platform'], scope: string | null): string | null {
    const file = this.config.file;
    const policy = file.unmappedScopes ?? (file.tenants.length ? 'refuse' : 'default');
    const key = ({ slack: 'slackTeams', discord: 'discordGuilds', telegram: 'telegramChats', web: null } as const)[platform];
    if (policy === 'default' || !scope || !key || file.tenants.some((t) => t[key].includes(scope))) return null;
    if (platform === 'telegram' && !scope.startsWith('-')) return null;
    const what = ({ slack: 'Slack workspace', discord: 'Discord server', telegram: 'Telegram group', web: 'web chat' } as const)[platform];
    return `This ${what} (${scope}) belongs to no tenant of this CRM, so nothing here is read or stored. An admin adds "${scope}" to "${key}" of a tenant in the config file (CRM_CONFIG), or sets "unmappedScopes": "default", and restarts.`;
  }

  /** The role the configuration gives an identity (CRM_ADMINS, then roles.assign); null when it names none. */
  configuredRole(identity: string): Role | null {
    if (this.config.env.CRM_ADMINS.includes(identity)) return 'admin';
    return this.config.file.roles.assign[identity] ?? null;
  }

  /** Configuration first, then a role granted with /crm role, then the platform's default. */
  roleFor(identity: string, platform: ChatEvent['platform'], granted: Role | null = null): Role {
    return this.configuredRole(identity) ?? granted ?? this.config.defaultRoles[platform];
  }

  /**
   * At start: every identity the configuration named last time but no longer names gets back its granted
   * role or its platform default, so a removed admin is not an admin anywhere (digests included) even
   * before they write again; identities it names now get their configured role.
   */
  async applyConfiguredRoles(): Promise<void> {
    const named = this.config.env.CRM_ADMINS.concat(Object.keys(this.config.file.roles.assign));
    const tenants = [...new Set([this.config.file.defaultTenant, ...this.config.file.tenants.map((t) => t.id)])];
    for (const tenant of tenants) {
      const ts = this.store.tenant(tenant);
      const memory = ts.docs<{ id: string; identities: string[] }>('core', 'configured_roles');
      const before = (await memory.get('last'))?.identities ?? [];
      for (const identity of new Set([...before, ...named])) {
        const link = await ts.identities.get(identity);
        if (!link) continue;
        const role = this.roleFor(identity, link.platform, (await roleGrants(ts).get(identity))?.role ?? null);
        if (role !== link.role) {
          const updated = (await ts.identities.setRole(identity, role))!;
          const tx = this.bus.batch();
          await ensureCustomerRecord(ts, updated, this.now(), tx.events((customer) => [draft('customer.created', { tenant, customer })]));
          await tx.published();
        }
      }
      await memory.put({ id: 'last', identities: named });
    }
  }

  /**
   * Finds or creates the identity with its role recomputed from its sources on every call, so taking
   * someone out of CRM_ADMINS or roles.assign takes the role away at once; a customer-role identity
   * always has a customer record.
   */
  async resolveActor(tenant: string, ev: Pick<ChatEvent, 'platform' | 'actor'>, now = this.now()): Promise<IdentityLink> {
    const ts = this.store.tenant(tenant);
    const { link: existing, doc: grant } = await identityWithGrant(ts, ev.actor.identity);
    const displayName = ev.actor.displayName.slice(0, 200) || ev.actor.identity;
    const role = this.roleFor(ev.actor.identity, ev.platform, grant?.role ?? null);
    const tx = this.bus.batch();
    const welcome = tx.events<Customer>((customer) => [draft('customer.created', { tenant, customer })]);
    const created = !existing && role === 'customer' ? await ts.customers.create({ name: displayName }, now, welcome) : null;
    const customerId = created?.id ?? existing?.customerId ?? null;
    const seen = { identity: ev.actor.identity, platform: ev.platform, displayName, role, customerId, locale: ev.actor.locale ?? null, timezone: ev.actor.timezone ? canonicalZone(ev.actor.timezone) : null };
    // Read just now, not cached: a known person whose touch would change nothing costs no write.
    let link = existing && touchChangesNothing(existing, seen, Date.parse(now)) ? existing : await ts.identities.touch(seen, now);
    // Two first messages at once: the identity keeps the record that won; the spare folds into it (its event finds it merged away).
    if (created && link.customerId !== created.id) await ts.customers.update(created.id, { mergedInto: link.customerId }, now);
    if (link.role !== role) link = (await ts.identities.setRole(link.identity, role))!;
    const record = await ensureCustomerRecord(ts, link, now, tx.events((customer) => [draft('customer.created', { tenant, customer })]));
    await tx.published();
    if (record) link = { ...link, customerId: record.id };
    return link;
  }

  context(tenant: string, actor: IdentityLink, ev: Pick<ChatEvent, 'platform' | 'channel' | 'session'> & Partial<Pick<ChatEvent, 'eventId'>>): CommandContext {
    return {
      tenant,
      sourceEventId: ev.eventId ? `${ev.platform}:${ev.eventId}` : null,
      store: this.store.tenant(tenant),
      actor,
      platform: ev.platform,
      channel: ev.channel,
      settings: this.settings(tenant),
      bus: this.bus,
      outbox: this.outbox,
      now: () => this.now(),
      privacy: this.privacy,
      registry: this.commands,
      web: { publicUrl: this.config.env.PUBLIC_URL ?? null, tenant: this.tenantFor('web', null), session: ev.session ?? null },
      cardSections: async (customerId) => (await Promise.all(this.cardContributors.map((f) => f(tenant, customerId)))).flat(),
      roles: {
        configured: (identity) => this.configuredRole(identity),
        configuredBy: (identity) => (this.config.env.CRM_ADMINS.includes(identity) ? 'CRM_ADMINS' : this.config.file.roles.assign[identity] ? 'roles.assign' : null),
        platformDefault: (platform) => this.config.defaultRoles[platform],
        configuredAll: () => [
          ...this.config.env.CRM_ADMINS.map((identity) => ({ identity, role: 'admin' as const, source: 'CRM_ADMINS' as const })),
          ...Object.entries(this.config.file.roles.assign).filter(([id]) => !this.config.env.CRM_ADMINS.includes(id))
            .map(([identity, role]) => ({ identity, role, source: 'roles.assign' as const })),
        ],
      },
    };
  }

  /** One inbound event for a chat: over the limit the polite message once per window; unsaved work is never reported done. */
  async handle(ev: ChatEvent): Promise<Reply[]> {
    return this.repliesFor(await this.process(ev));
  }

  /**
   * Replies to the event's person through the outbox (their DM; the web inbox), each once under `key`:n whatever the
   * replays: where an answer has no place of its own to go, or its place no longer takes it.
   */
  replyToPerson(ev: ChatEvent, replies: Reply[], key: string): Promise<void> {
    return this.outbox.sendReplies(this.tenantFor(ev.platform, ev.scope), { platform: ev.platform, target: ev.actor.identity, replies, key });
  }

  /**
   * The replies that tell the actor an outcome. `owed`: the platform waits for an answer to this very request
   * (a Discord interaction), so a refusal already told once this window is told again rather than left blank.
   */
  repliesFor(out: Outcome, owed = false): Reply[] {
    if (out.kind === 'done') return out.replies;
    if (out.kind === 'throttled') return out.tell || owed ? [this.commands.refuse(out.error, null)] : [];
    return [{ text: `Not done: ${out.reason}. Nothing was saved; try again in a minute.` }];
  }

  /** Like `handle`, but says why an event was not handled, for callers with their own way to say it (HTTP 429/503). */
  async process(ev: ChatEvent, admitted = false, replay = false): Promise<Outcome> {
    const refused = admitted ? null : await this.admit(ev);
    if (refused) return refused;
    if (!(await this.health.writable())) return { kind: 'unavailable', reason: this.health.degraded!.reason };
    try {
      return { kind: 'done', replies: await this.run(ev, replay) };
    } catch (e) {
      if (this.health.note(e)) return { kind: 'unavailable', reason: this.health.degraded!.reason };
      throw e;
    }
  }

  /** The adapters this process runs; `processAdmitted` hands them their platform's requests before and after. */
  useAdapters(adapters: RequestHooks[]): void {
    for (const a of adapters) this.adapters.set(a.platform, a);
  }

  /**
   * An admitted request where requests are handled (this thread, or the processing thread): its adapter first
   * fills in what only the platform knows, and when the event carries an answer address the adapter answers there,
   * so the thread that acknowledged it waits on nothing. The outcome is returned without waiting for that delivery.
   */
  async processAdmitted(ev: ChatEvent, replay: boolean): Promise<Outcome> {
    const adapter = this.adapters.get(ev.platform);
    const answer = ev.answer && adapter?.answer
      ? (replies: Reply[]) => {
        // One person's requests are handled in order (the ingress's fair queue); their answers are sent in that order too.
        const who = ev.actor.identity;
        const sent: Promise<void> = (this.lastAnswer.get(who) ?? Promise.resolve())
          .then(() => adapter.answer!(this, ev, replies))
          .catch((e: unknown) => this.log.error({ err: String(e), eventId: ev.eventId }, 'answer not delivered'))
          .finally(() => {
            this.answering.delete(sent);
            if (this.lastAnswer.get(who) === sent) this.lastAnswer.delete(who);
          });
        this.lastAnswer.set(who, sent);
        this.answering.add(sent);
      }
      : null;
    try {
      await adapter?.complete?.(this, ev);
      const out = await this.process(ev, true, replay);
      answer?.(this.repliesFor(out));
      return out;
    } catch (e) {
      answer?.([{ text: FAILED_TEXT }]);
      throw e;
    }
  }

  /** Resolves once every answer `processAdmitted` started is delivered (or has failed and been logged). */
  async answersDelivered(): Promise<void> {
    while (this.answering.size) await Promise.allSettled([...this.answering]);
  }

  /** The rate limits: null when the event may go on (and it counts), else the refusal. Callers that already asked pass `admitted` to `process`. */
  async admit(ev: ChatEvent): Promise<Outcome | null> {
    const source = ev.scope !== null ? `${ev.platform}:${ev.scope}` : ev.source ?? null;
    let admitted: Admission;
    try {
      admitted = await this.limiter.admit(ev.actor.identity, source);
    } catch (e) {
      // The buckets live in the store: a store that cannot write refuses as unavailable, not as a crash.
      if (this.health.note(e)) return { kind: 'unavailable', reason: this.health.degraded!.reason };
      throw e;
    }
    return admitted.ok ? null : { kind: 'throttled', retryMs: admitted.retryMs, tell: admitted.tell, error: this.rateError(admitted.by, admitted.retryMs) };
  }

  private rateError(by: 'identity' | 'source', retryMs: number): RateError {
    const { commandsPerMinute, sourcePerMinute } = this.config.file.rateLimit;
    const limit = by === 'identity'
      ? `at most ${commandsPerMinute} commands and messages a minute.`
      : `more than ${sourcePerMinute} commands and messages a minute arrive from here.`;
    return new RateError(`Slow down: ${limit} Try again in ${Math.ceil(retryMs / 1000)} seconds.`);
  }

  /**
   * One admitted inbound event: dedupe, resolve, store, route. Returns the replies to show the actor. A `replay`
   * (an acknowledged request whose process died) goes on even if it was marked seen, as that process may have
   * died right after the mark: its effects are keyed by the event id instead (interactions, the command's answer).
   */
  private async run(ev: ChatEvent, replay = false): Promise<Reply[]> {
    const refused = this.unmappedScope(ev.platform, ev.scope);
    if (refused) return this.refuseScope(ev, refused);
    const sourceEventId = ev.eventId ? `${ev.platform}:${ev.eventId}` : null;
    // One reading of the clock for the event's own steps (dedupe mark, identity, stored message).
    const now = this.now();
    if (sourceEventId && !(await this.store.system.firstSeen(sourceEventId, now)) && !replay) return [];
    this.metrics.ingested.inc({ platform: ev.platform, kind: ev.action ? 'action' : ev.command || ev.text.startsWith('/') ? 'command' : 'message' });
    const tenant = this.tenantFor(ev.platform, ev.scope);
    if (ev.edit) return this.messageChanged(tenant, ev);
    const actor = await this.resolveActor(tenant, ev, now);
    const line = ev.action ? { name: ev.action.id.split('.')[0]!, args: `${ev.action.id.split('.')[1] ?? ''} ${ev.action.value}` } : ev.command ?? parseCommandLine(ev.text);
    if (!line) return this.communityMessage(tenant, actor, ev, now);
    const ctx = this.context(tenant, actor, ev);
    const started = performance.now();
    const dispatch = () => this.commands.dispatch(ctx, line.name, line.args);
    try {
      return await (sourceEventId
        ? commandOnce(ctx.store.idempotency, sourceEventId, this.now(), dispatch)
        : dispatch());
    } finally {
      this.metrics.commandSeconds.observe({ command: this.commands.get(line.name) ? line.name : 'unknown' }, (performance.now() - started) / 1000);
    }
  }

  /**
   * Commands and buttons from an unmapped scope always get the refusal; plain chatter gets it once per
   * scope (per process), so a busy server is not answered message by message. Nothing is stored.
   */
  private refuseScope(ev: ChatEvent, message: string): Reply[] {
    this.log.warn({ platform: ev.platform, scope: ev.scope }, 'event from a scope no tenant lists refused');
    const command = Boolean(ev.action || ev.command || parseCommandLine(ev.text));
    const key = `${ev.platform}:${ev.scope}`;
    if (!command && this.toldScopes.has(key)) return [];
    if (this.toldScopes.size >= 10_000) this.toldScopes.delete(this.toldScopes.values().next().value!);
    this.toldScopes.add(key);
    return [{ text: message }];
  }

  private async communityMessage(tenant: string, actor: IdentityLink, ev: ChatEvent, now: string): Promise<Reply[]> {
    if (!ev.text.trim()) return [];
    const tx = this.bus.batch();
    const { created } = await this.store.tenant(tenant).interactions.add({
      customerId: actor.customerId, identity: actor.identity, type: 'message', channel: ev.channel, direction: 'in',
      text: ev.text, amountMinor: null, currency: null, occurredAt: ev.occurredAt ?? now,
      sourceEventId: ev.eventId ? `${ev.platform}:${ev.eventId}` : null,
      ...(ev.messageId ? { messageId: `${ev.platform}:${ev.messageId}` } : {}),
    }, tx.events(({ interaction: stored }) => [draft('message.received', {
      tenant, platform: ev.platform, channel: ev.channel, actor, interaction: stored, permalink: ev.permalink ?? null,
      inReplyTo: ev.inReplyTo ? `${ev.platform}:${ev.inReplyTo}` : null,
    })]));
    if (created) await tx.published();
    return [];
  }

  /** The author edited or deleted an earlier message: the stored copy follows; edits never run commands, and an unknown message is ignored. */
  private async messageChanged(tenant: string, ev: ChatEvent): Promise<Reply[]> {
    if (!ev.messageId) return [];
    const at = ev.occurredAt ?? this.now();
    await this.store.tenant(tenant).interactions.applyMessageChange(`${ev.platform}:${ev.messageId}`,
      ev.edit === 'deleted' ? { kind: 'deleted', at } : { kind: 'changed', text: ev.text, at });
    return [];
  }

  onExport(name: string, fn: (tenant: string, customerId: number) => Promise<unknown>): void {
    this.exporters.push({ name, fn });
  }

  onErase(fn: (tenant: string, customerId: number) => Promise<void>): void {
    this.erasers.push(fn);
  }

  addCardSection(fn: (tenant: string, customerId: number) => Promise<Field[]>): void {
    this.cardContributors.push(fn);
  }

  readonly privacy: PrivacyHooks = {
    export: async (tenant, customerId) => {
      const out: Record<string, unknown> = {};
      for (const e of this.exporters) out[e.name] = await e.fn(tenant, customerId);
      return out;
    },
    erase: async (tenant, customerId) => {
      for (const fn of this.erasers) await fn(tenant, customerId);
      await this.bus.emit('customer.erased', { tenant, customerId });
    },
  };
}

export type Outcome =
  | { kind: 'done'; replies: Reply[] }
  | { kind: 'throttled'; retryMs: number; tell: boolean; error: RateError }
  | { kind: 'unavailable'; reason: string };

/** `/deal add x` or `/deal@MyBot add x` -> { name: 'deal', args: 'add x' }; anything else is not a command. */
export function parseCommandLine(text: string): { name: string; args: string } | null {
  const m = /^\/([a-z][a-z0-9_-]{0,31})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/i.exec(text.trim());
  return m ? { name: m[1]!.toLowerCase(), args: m[2] ?? '' } : null;
}
