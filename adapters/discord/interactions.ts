import type { ChatEvent, Engine, HttpRequest, HttpResponse, HttpServer } from '../../core/index.js';
import { json } from '../../core/index.js';
import { callbackStore, renderAndStore } from './callbacks.js';
import { decodeComponent } from './custom-id.js';
import { deliverFollowUps } from './followup.js';
import { commandLine, interactionEvent } from './normalize.js';
import { interactionSchema, type Interaction } from './payloads.js';
import { render, type RenderedMessage } from './render.js';
import type { Rest } from './rest.js';
import { publicKeyFromHex, verifyInteraction } from './verify.js';

/** Interaction response types (https://discord.com/developers/docs/interactions/receiving-and-responding). */
const PONG = 1;
const CHANNEL_MESSAGE_WITH_SOURCE = 4;
const DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE = 5;

export interface InteractionsOptions {
  appId: string;
  publicKey: string;
  rest: Rest;
  /** Discord wants an answer within 3 s; work still running after this is answered later. */
  ackAfterMs: number;
  /** Background deliveries, so stop() can wait for them. */
  pending: Set<Promise<void>>;
}

/** `POST /discord/interactions`: verify, answer PING, hand commands and clicks to the engine within 3 s. */
export function mountInteractions(http: HttpServer, engine: Engine, opts: InteractionsOptions): void {
  const key = publicKeyFromHex(opts.publicKey);
  const log = engine.log;

  const toEvent = async (i: Interaction, base: Omit<ChatEvent, 'text'>): Promise<ChatEvent | null> => {
    if (i.type === 2) {
      const command = commandLine(i.data);
      return { ...base, text: `/${command.name} ${command.args}`.trim(), command };
    }
    if (i.type !== 3) return null;
    const tenant = engine.tenantFor('discord', base.scope);
    const action = await decodeComponent(i.data.custom_id, i.data.values?.[0], (k) => callbackStore(engine, tenant).get(k));
    return action ? { ...base, text: '', action } : null;
  };

  const background = (task: Promise<void>) => {
    const p = task.catch((e) => log.error({ err: String(e) }, 'discord interaction follow-up failed')).finally(() => opts.pending.delete(p));
    opts.pending.add(p);
  };

  http.route('POST', '/discord/interactions', async (req: HttpRequest): Promise<HttpResponse> => {
    if (!verifyInteraction(key, req.headers['x-signature-ed25519'], req.headers['x-signature-timestamp'], req.body)) {
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
    if (i.type === 1) return json(200, { type: PONG });

    const base = interactionEvent(i);
    if (!base) return json(400, { error: 'interaction has neither member.user nor user' });
    const ev = await toEvent(i, base);
    if (!ev) return json(200, { type: CHANNEL_MESSAGE_WITH_SOURCE, data: render({ text: 'That button no longer works. Run the command again.' }).body });
    const tenant = engine.tenantFor('discord', ev.scope);

    const work = engine.handle(ev).then(
      (replies) => (replies.length ? replies : [{ text: 'Done.' }]),
      (e) => {
        log.error({ err: String(e), interaction: i.id }, 'discord interaction failed');
        return [{ text: 'Something went wrong on our side. Try again in a moment.' }];
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((ok) => (timer = setTimeout(() => ok(null), opts.ackAfterMs)));
    const replies = await Promise.race([work, late]);
    clearTimeout(timer);

    const later = (editOriginal: boolean, messages: Promise<RenderedMessage[]>) =>
      background(messages.then((m) => deliverFollowUps(opts.rest, log, opts.appId, i.token, m, editOriginal)));
    if (!replies) {
      later(true, work.then((r) => renderAndStore(engine, tenant, r)));
      return json(200, { type: DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE });
    }
    const messages = await renderAndStore(engine, tenant, replies);
    // A file cannot ride in the JSON answer: defer and send it by editing the original response.
    if (messages[0]!.files.length) {
      later(true, Promise.resolve(messages));
      return json(200, { type: DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE });
    }
    if (messages.length > 1) later(false, Promise.resolve(messages.slice(1)));
    return json(200, { type: CHANNEL_MESSAGE_WITH_SOURCE, data: messages[0]!.body });
  });
}
