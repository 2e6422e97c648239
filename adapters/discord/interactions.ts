import { InteractionResponseType, MessageFlags, type REST } from 'discord.js';
import type { ChatEvent, Engine, HttpRequest, HttpResponse, HttpServer, Reply } from '../../core/index.js';
import { BUSY_TEXT, NOT_RECORDED_TEXT, json } from '../../core/index.js';
import { asUpdate, InteractionAnswers, type Answer, type AnswerAddress } from './answer.js';
import { suggestions } from './autocomplete.js';
import { callbackStore, doneClicks } from './callbacks.js';
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
 * queued ahead, ephemerally "too many requests" when the queue is full (nothing recorded). A queued request
 * carries its answer address (the interaction token) and is answered through it where it is handled, by the
 * adapter's `answer` hook; so is one replayed after its process died, while the token lasts (else by DM). In a
 * server, answers are ephemeral unless the core marks them public; a click changes the message it was made on.
 */
export function mountInteractions(http: HttpServer, engine: Engine, opts: InteractionsOptions): void {
  const key = publicKeyFromHex(opts.publicKey);
  const log = engine.log;
  const answerer = new InteractionAnswers(engine, opts.rest, opts.appId);

  const background = (task: Promise<void>) => {
    const p = task.catch((e) => log.error({ err: String(e) }, 'discord interaction follow-up failed')).finally(() => opts.pending.delete(p));
    opts.pending.add(p);
  };
  const addressOf = (i: Interaction, deferred: AnswerAddress['deferred'], own: boolean): AnswerAddress =>
    ({ via: 'interaction', token: i.token, at: engine.now(), guild: Boolean(i.guild_id), deferred, own });

  /**
   * Records the event in the inbox and queues it (the ingress); null when the queue is full, with nothing recorded.
   * `inline`: so little is ahead that the answer may come within the ack budget (its work, answered here); `queued`:
   * the event carries `address` and is answered there where it is handled. On failure `undo` releases what was
   * claimed for the event (and an inline asker is told so).
   */
  const submit = async (ev: ChatEvent, address: AnswerAddress, undo?: () => Promise<unknown>): Promise<{ inline: Promise<Answer[]> } | 'queued' | null> => {
    let accepted: Awaited<ReturnType<typeof engine.ingress.submit>>;
    try {
      accepted = await engine.ingress.submit(ev, { queuedAnswer: address });
    } catch (e) {
      log.error({ err: String(e), interaction: ev.eventId }, 'discord interaction not recorded');
      await undo?.();
      return { inline: answerer.rendered(ev, [{ text: NOT_RECORDED_TEXT }]) };
    }
    if (accepted.kind === 'busy') {
      await undo?.();
      return null;
    }
    const failed = async (e: unknown) => {
      log.error({ err: String(e), interaction: ev.eventId }, 'discord interaction failed');
      await undo?.();
    };
    if (!accepted.inline) {
      background(accepted.outcome.then(() => undefined, failed));
      return 'queued';
    }
    const work = accepted.outcome
      .then((out) => engine.repliesFor(out, true))
      .then((replies) => (replies.length ? replies : [{ text: 'Done.' }]), async (e) => (await failed(e), [FAILED]))
      .then((replies) => answerer.rendered(ev, replies));
    return { inline: work };
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
  const command = async (i: Interaction, ev: ChatEvent): Promise<HttpResponse> => {
    const inGuild = Boolean(i.guild_id);
    const flagsOf = (a: Answer) => (inGuild && !a.public ? MessageFlags.Ephemeral : undefined);
    const address = addressOf(i, 'command', false);
    const submitted = await submit(ev, address);
    if (!submitted) return busy();
    const answers = submitted === 'queued' ? null : await inTime(submitted.inline);
    if (answers) {
      const [first, ...rest] = answers;
      if (rest.length) background((async () => { for (const a of rest) await answerer.followUp(i.token, a, flagsOf(a)); })());
      return respond(InteractionResponseType.ChannelMessageWithSource, first!.msg, flagsOf(first!));
    }
    // Deferred: answered through the token when the work is done (a queued request, where it is handled).
    if (submitted !== 'queued') background(submitted.inline.then((late) => answerer.deferred(ev, address, late)));
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
    const address = addressOf(i, 'click', own);
    const submitted = await submit(ev, address, claim && own ? () => doneClicks(engine, tenant).delete(claim.id) : undefined);
    if (!submitted) return busy();
    const answers = submitted === 'queued' ? null : await inTime(submitted.inline);
    const update = (a: Answer) => own || a.public;
    if (answers) {
      const [first, ...rest] = answers;
      if (rest.length) background((async () => { for (const a of rest) await answerer.followUp(i.token, a, i.guild_id && !a.public ? MessageFlags.Ephemeral : undefined); })());
      return update(first!)
        ? respond(InteractionResponseType.UpdateMessage, asUpdate(first!.msg))
        : respond(InteractionResponseType.ChannelMessageWithSource, first!.msg, MessageFlags.Ephemeral);
    }
    // Deferred update: the message is edited when the work is done (type 6 + PATCH @original).
    if (submitted !== 'queued') background(submitted.inline.then((late) => answerer.deferred(ev, address, late)));
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
      return command(i, { ...base, text: `/${line.name} ${line.args}`.trim(), command: line });
    }
    const action = await decodeComponent(i.data.custom_id, i.data.values?.[0], (k) => callbackStore(engine, tenant).get(k));
    if (!action) return respond(InteractionResponseType.ChannelMessageWithSource, render({ text: STALE }), MessageFlags.Ephemeral);
    return click(i, { ...base, text: '', action }, tenant);
  });
}
