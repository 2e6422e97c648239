import { InteractionResponseType, MessageFlags, Routes, type REST } from 'discord.js';
import type { ChatEvent, Engine, HttpRequest, HttpResponse, HttpServer, Reply } from '../../core/index.js';
import { BUSY_TEXT, NOT_RECORDED_TEXT, json } from '../../core/index.js';
import { messageData, restFailure } from './api.js';
import { suggestions } from './autocomplete.js';
import { callbackStore, doneClicks, renderAndStore } from './callbacks.js';
import { decodeComponent } from './custom-id.js';
import { commandLine, interactionEvent } from './normalize.js';
import { interactionSchema, type ComponentInteraction, type Interaction } from './payloads.js';
import { render, type RenderedMessage } from './render.js';
import { publicKeyFromHex, verifyInteraction } from './verify.js';

export interface InteractionsOptions {
  appId: string;
  publicKey: string;
  rest: REST;
  /** Discord wants an answer within 3 s; work still running after this is answered later. */
  ackAfterMs: number;
  /** Background deliveries, so stop() can wait for them. */
  pending: Set<Promise<void>>;
}

const STALE = 'That button no longer works. Run the command again.';
const FAILED: Reply = { text: 'Something went wrong on our side. Try again in a moment.' };

/** A reply with its rendering and whether it may be seen by the channel. */
interface Answer {
  msg: RenderedMessage;
  public: boolean;
}

/** An interaction response: JSON, or multipart with `payload_json` when the message carries files. */
async function respond(type: InteractionResponseType, msg?: RenderedMessage, flags?: number): Promise<HttpResponse> {
  if (!msg) return json(200, { type, ...(flags ? { data: { flags } } : {}) });
  const data = flags ? { ...msg.body, flags } : msg.body;
  if (!msg.files.length) return json(200, { type, data });
  const form = new FormData();
  form.append('payload_json', JSON.stringify({ type, data }));
  msg.files.forEach((f, n) => form.append(`files[${n}]`, new Blob([new Uint8Array(f.data)], { type: f.contentType }), f.name));
  const encoded = new Response(form);
  return { status: 200, headers: { 'content-type': encoded.headers.get('content-type')! }, body: Buffer.from(await encoded.arrayBuffer()) };
}

/**
 * `POST /discord/interactions`: verify (signature and a 5-minute clock window), answer PING and
 * autocomplete, record commands and clicks in the inbox (the engine's ingress) and answer within 3 s:
 * with the reply when it is ready in time, deferred (Discord's "thinking…") when it is not or others are
 * queued ahead, ephemerally "too many requests" when the queue is full (nothing recorded). A request whose
 * process died after the ack is replayed elsewhere and answered by DM through the outbox. In a server,
 * answers are ephemeral unless the core marks them public; a click changes the message it was made on.
 */
export function mountInteractions(http: HttpServer, engine: Engine, opts: InteractionsOptions): void {
  const key = publicKeyFromHex(opts.publicKey);
  const log = engine.log;

  const background = (task: Promise<void>) => {
    const p = task.catch((e) => log.error({ err: String(e) }, 'discord interaction follow-up failed')).finally(() => opts.pending.delete(p));
    opts.pending.add(p);
  };

  /** Interaction webhook calls: the token in the path authorizes them, and it is never logged. */
  const webhook = async (what: string, call: () => Promise<unknown>) => {
    try {
      await call();
    } catch (e) {
      log.warn({ failure: restFailure(e), what }, 'discord interaction reply refused');
    }
  };
  const followUp = (token: string, a: Answer, flags: number | undefined) =>
    webhook('follow-up', () => opts.rest.post(Routes.webhook(opts.appId, token), messageData(a.msg, { auth: false, flags })));
  const editOriginal = (token: string, msg: RenderedMessage) =>
    webhook('edit', () => opts.rest.patch(Routes.webhookMessage(opts.appId, token), messageData(msg, { auth: false })));

  const rendered = async (tenant: string, replies: Reply[]): Promise<Answer[]> =>
    (await renderAndStore(engine, tenant, replies)).map((msg, n) => ({ msg, public: replies[n]!.visibility === 'public' }));

  /**
   * Records the event in the inbox and queues it (the ingress); null when the queue is full, with nothing recorded.
   * `inline`: so little is ahead that waiting for the answer within the ack budget makes sense; otherwise it is
   * deferred at once. On failure the asker is told so and `undo` releases what was claimed for the event.
   */
  const submit = async (ev: ChatEvent, tenant: string, undo?: () => Promise<unknown>): Promise<{ work: Promise<Answer[]>; inline: boolean } | null> => {
    let accepted: Awaited<ReturnType<typeof engine.ingress.submit>>;
    try {
      accepted = await engine.ingress.submit(ev);
    } catch (e) {
      log.error({ err: String(e), interaction: ev.eventId }, 'discord interaction not recorded');
      await undo?.();
      return { work: rendered(tenant, [{ text: NOT_RECORDED_TEXT }]), inline: true };
    }
    if (accepted.kind === 'busy') {
      await undo?.();
      return null;
    }
    const work = accepted.outcome
      .then((out) => engine.repliesFor(out, true))
      .then((replies) => (replies.length ? replies : [{ text: 'Done.' }]), async (e) => {
        log.error({ err: String(e), interaction: ev.eventId }, 'discord interaction failed');
        await undo?.();
        return [FAILED];
      })
      .then((replies) => rendered(tenant, replies));
    return { work, inline: accepted.inline };
  };
  const busy = () => respond(InteractionResponseType.ChannelMessageWithSource, render({ text: BUSY_TEXT }), MessageFlags.Ephemeral);

  /** The engine's answer if it comes within the ack budget, else null (and the work goes on). */
  const inTime = async (work: Promise<Answer[]>): Promise<Answer[] | null> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((ok) => (timer = setTimeout(() => ok(null), opts.ackAfterMs)));
    const answers = await Promise.race([work, late]);
    clearTimeout(timer);
    return answers;
  };

  /** A slash command: private answers ephemeral in a server, public ones for the channel. */
  const command = async (i: Interaction, ev: ChatEvent, tenant: string): Promise<HttpResponse> => {
    const inGuild = Boolean(i.guild_id);
    const flagsOf = (a: Answer) => (inGuild && !a.public ? MessageFlags.Ephemeral : undefined);
    const submitted = await submit(ev, tenant);
    if (!submitted) return busy();
    const { work } = submitted;
    const answers = submitted.inline ? await inTime(work) : null;
    if (answers) {
      const [first, ...rest] = answers;
      if (rest.length) background((async () => { for (const a of rest) await followUp(i.token, a, flagsOf(a)); })());
      return respond(InteractionResponseType.ChannelMessageWithSource, first!.msg, flagsOf(first!));
    }
    // Deferred: ephemeral in a server until the answer shows what it is; a public answer then follows
    // as its own message and the private "thinking…" placeholder goes away.
    background(work.then(async (late) => {
      let original = true;
      for (const a of late) {
        if (original && (!inGuild || !a.public)) {
          original = false;
          await editOriginal(i.token, a.msg);
        } else {
          await followUp(i.token, a, flagsOf(a));
        }
      }
      if (original) await webhook('delete', () => opts.rest.delete(Routes.webhookMessage(opts.appId, i.token), { auth: false }));
    }));
    return respond(InteractionResponseType.DeferredChannelMessageWithSource, undefined, inGuild ? MessageFlags.Ephemeral : undefined);
  };

  /**
   * A click: on a message only the clicker sees (a DM, an ephemeral answer) or with a public outcome,
   * the message is replaced by the outcome, its buttons with the outcome's; on a message the channel
   * shares, the clicker gets a private answer and the message stays for the others.
   */
  const click = async (i: ComponentInteraction, ev: ChatEvent, tenant: string): Promise<HttpResponse> => {
    const own = !i.guild_id || ((i.message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
    const claim = i.message ? { id: `${i.message.id}:${i.data.custom_id}`, at: engine.now() } : null;
    // The same button on the same message acts once, however many times (or by whom) it is clicked.
    if (own && claim && !(await doneClicks(engine, tenant).insertIfAbsent(claim))) {
      return respond(InteractionResponseType.ChannelMessageWithSource, render({ text: 'That was already done.' }), MessageFlags.Ephemeral);
    }
    const submitted = await submit(ev, tenant, claim && own ? () => doneClicks(engine, tenant).delete(claim.id) : undefined);
    if (!submitted) return busy();
    const { work } = submitted;
    const answers = submitted.inline ? await inTime(work) : null;
    const update = (a: Answer) => own || a.public;
    const asUpdate = (msg: RenderedMessage): RenderedMessage => ({ ...msg, body: { ...msg.body, components: msg.body.components ?? [], embeds: msg.body.embeds ?? [] } });
    if (answers) {
      const [first, ...rest] = answers;
      if (rest.length) background((async () => { for (const a of rest) await followUp(i.token, a, i.guild_id && !a.public ? MessageFlags.Ephemeral : undefined); })());
      return update(first!)
        ? respond(InteractionResponseType.UpdateMessage, asUpdate(first!.msg))
        : respond(InteractionResponseType.ChannelMessageWithSource, first!.msg, MessageFlags.Ephemeral);
    }
    // Deferred update: the message is edited when the work is done (type 6 + PATCH @original).
    background(work.then(async (late) => {
      const [first, ...rest] = late;
      await editOriginal(i.token, own ? asUpdate(first!.msg) : first!.msg);
      for (const a of rest) await followUp(i.token, a, i.guild_id && !a.public ? MessageFlags.Ephemeral : undefined);
    }));
    return own
      ? respond(InteractionResponseType.DeferredMessageUpdate)
      : respond(InteractionResponseType.DeferredChannelMessageWithSource, undefined, MessageFlags.Ephemeral);
  };

  http.route('POST', '/discord/interactions', async (req: HttpRequest): Promise<HttpResponse> => {
    if (!verifyInteraction(key, req.headers['x-signature-ed25519'], req.headers['x-signature-timestamp'], req.body, Date.now())) {
      return json(401, { error: 'invalid request signature' });
    }
    let raw: unknown;
    try {
      raw = JSON.parse(req.body.toString('utf8'));
    } catch {
      return json(400, { error: 'body is not valid JSON' });
    }
    const parsed = interactionSchema.safeParse(raw);
    if (!parsed.success) return json(400, { error: `not an interaction this app handles: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'body'}: ${x.message}`).join('; ')}` });
    const i = parsed.data;
    if (i.type === 1) return json(200, { type: InteractionResponseType.Pong });

    const base = interactionEvent(i);
    if (!base) return json(400, { error: 'interaction has neither member.user nor user' });
    const tenant = engine.tenantFor('discord', base.scope);
    if (i.type === 4) {
      const choices = await suggestions(engine, tenant, base.actor.identity, i);
      return json(200, { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } });
    }
    if (i.type === 2) {
      const line = commandLine(i.data, engine.commands);
      return command(i, { ...base, text: `/${line.name} ${line.args}`.trim(), command: line }, tenant);
    }
    const action = await decodeComponent(i.data.custom_id, i.data.values?.[0], (k) => callbackStore(engine, tenant).get(k));
    if (!action) return respond(InteractionResponseType.ChannelMessageWithSource, render({ text: STALE }), MessageFlags.Ephemeral);
    return click(i, { ...base, text: '', action }, tenant);
  });
}
