import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { ChatEvent, Engine, Reply } from '../../core/index.js';
import type { Clients } from './client.js';
import type { Tokens } from './installations.js';
import type { DisplayNames } from './names.js';
import { messageTsSchema, slackIdSchema } from './payloads.js';
import { render, settled, type SlackMessage } from './render.js';
import type { Respond, ResponseUrls } from './respond.js';
import { parseTarget } from './send.js';
import { saveStash, unstash } from './stash.js';

/**
 * Where a Slack answer goes, written into the event by the listener that received it and read back (checked)
 * where the event is handled: a slash command's response_url (with when it was given, as Slack honours it for
 * 30 minutes), the channel or thread of a message, or the person's DM.
 */
export const answerAddressSchema = z.discriminatedUnion('via', [
  z.object({ via: z.literal('response_url'), url: z.url({ protocol: /^https?$/ }), at: z.iso.datetime() }),
  z.object({ via: z.literal('in_place'), channel: slackIdSchema, user: slackIdSchema, threadTs: messageTsSchema.optional() }),
  z.object({ via: z.literal('dm') }),
  /** A click: the clicked message (where it is, whether only the clicker sees it, its blocks) is answered in place. */
  z.object({
    via: z.literal('click'), responseUrl: z.url({ protocol: /^https?$/ }).optional(), at: z.iso.datetime(), user: slackIdSchema,
    channel: slackIdSchema.optional(), threadTs: messageTsSchema.optional(), messageTs: messageTsSchema.optional(), ephemeral: z.boolean(),
    blocks: z.array(z.looseObject({ type: z.string() })).max(100).optional(),
  }),
]);
type ClickAddress = Extract<AnswerAddress, { via: 'click' }>;
export type AnswerAddress = z.infer<typeof answerAddressSchema>;

/** How long Slack accepts posts to a response_url (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses). */
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

/** The address as the event carries it: plain data, recorded in the inbox with the event. */
export function addressed(ev: ChatEvent, address: AnswerAddress): ChatEvent {
  ev.answer = address;
  return ev;
}

/** Whether a response_url given at `at` still takes posts at `now` (a replay may come long after). */
export function responseUrlLive(at: string, now: number): boolean {
  return now - Date.parse(at) < RESPONSE_URL_TTL_MS;
}

/** Posts one rendered reply, privately (only the asker sees it) or for everyone where it was asked. */
export type Post = (m: SlackMessage, visibility: 'private' | 'public') => Promise<unknown>;

/** Through a response_url: ephemeral unless public. */
export const viaRespond = (respond: Respond): Post => (m, visibility) =>
  respond({ ...m, response_type: visibility === 'public' ? 'in_channel' : 'ephemeral', replace_original: false });

/** In the channel, or in the thread when the message was in one: ephemeral to `user` unless public. */
export const inPlace = (client: webApi.WebClient, channel: string, user: string, threadTs: string | undefined): Post => (m, visibility) => {
  const thread = threadTs ? { thread_ts: threadTs } : {};
  return visibility === 'public'
    ? client.chat.postMessage({ channel, text: m.text, blocks: m.blocks, ...thread })
    : client.chat.postEphemeral({ channel, user, text: m.text, blocks: m.blocks, ...thread });
};

export interface AnswerDeps {
  engine: Engine;
  tokens: Tokens;
  /** Clients that retry on their own (a 429 is waited out): an answer is not handed back to anyone. */
  clients: Clients;
  /** Posts to response_url (a 429 is waited out a few times), on connections all answers share. */
  responseUrls: ResponseUrls;
  names: DisplayNames;
}

/**
 * Naming and answering, where a request is handled (the processing thread when there is one, the thread that
 * received it otherwise): the thread that acknowledged it only verified, recorded and acked.
 */
export class SlackAnswers {
  constructor(private readonly deps: AnswerDeps) {}

  /** Posts to a response_url, a 429 waited out (the listener's own `respond` would not). */
  respond(url: string): Respond {
    return this.deps.responseUrls.to(url);
  }

  /** Before the engine handles the event: the person's Slack name and time zone (users.info, cached), a stashed click value decoded. */
  async complete(ev: ChatEvent): Promise<void> {
    const { engine, names } = this.deps;
    const who = parseTarget(ev.actor.identity);
    const tenant = engine.tenantFor('slack', ev.scope);
    if (!ev.edit && who && 'user' in who) {
      const client = await this.client(tenant, who.team);
      const person = client ? await names.person(client, who.team, who.user) : null;
      ev.actor.displayName = person?.name ?? ev.actor.displayName;
      ev.actor.timezone = person?.timezone ?? null;
    }
    if (ev.action) ev.action.value = await unstash(engine, tenant, ev.action.value);
  }


  /** Shows replies where the person is; a chart (data URL) cannot go there, so it goes to their DM. */
  async deliver(ev: ChatEvent, replies: Reply[], post: Post, first = 0): Promise<void> {
    const { engine } = this.deps;
    const tenant = engine.tenantFor('slack', ev.scope);
    for (const [i, reply] of replies.entries()) {
      const r = render(reply);
      const visibility = reply.visibility === 'public' ? 'public' : 'private';
      await saveStash(engine, tenant, r.stash);
      if (r.upload) {
        await this.toDm(ev, [reply]);
        await post(render({ text: 'I sent you the chart in a direct message.' }).message, 'private').catch((e: unknown) => engine.log.warn({ err: String(e) }, 'slack chart pointer refused'));
      } else await post(r.message, visibility).catch((e: unknown) => this.undelivered(ev, reply, first + i, e));
    }
  }

  /** Answers by DM through the outbox, where there is no message to answer under. */
  async toDm(ev: ChatEvent, replies: Reply[]): Promise<void> {
    await this.deps.engine.replyToPerson(ev, replies, `slack:${ev.eventId}`);
  }

  /** Shows the replies at the event's address (the engine tracks it, so a graceful stop waits for it). */
  async answer(ev: ChatEvent, replies: Reply[]): Promise<void> {
    if (!ev.answer || !replies.length) return;
    const { engine } = this.deps;
    const address = answerAddressSchema.safeParse(ev.answer);
    if (!address.success) {
      engine.log.warn({ eventId: ev.eventId, err: address.error.message }, 'slack answer address unreadable; answering by DM');
      return this.toDm(ev, replies);
    }
    const a = address.data;
    if (a.via === 'dm') return this.toDm(ev, replies);
    if (a.via === 'response_url') {
      // A replay after Slack stopped taking posts there: the person's DM still reaches them.
      if (!responseUrlLive(a.at, Date.parse(engine.now()))) return this.toDm(ev, replies);
      return this.deliver(ev, replies, viaRespond(this.deps.responseUrls.to(a.url)));
    }
    const team = parseTarget(ev.actor.identity);
    const client = team && 'team' in team ? await this.client(engine.tenantFor('slack', ev.scope), team.team) : null;
    if (a.via === 'click') return this.answerClick(ev, replies, a, client);
    if (!client) return this.toDm(ev, replies);
    return this.deliver(ev, replies, inPlace(client, a.channel, a.user, a.threadTs));
  }

  /**
   * A click changes the clicked message in place: a next step replaces it, an outcome replaces its buttons; on a
   * message others see, a private answer goes beside it. Without a response_url (or past its 30 minutes), by DM.
   */
  private async answerClick(ev: ChatEvent, replies: Reply[], a: ClickAddress, client: webApi.WebClient | null): Promise<void> {
    const { engine } = this.deps;
    if (!a.responseUrl || !responseUrlLive(a.at, Date.parse(engine.now()))) return this.toDm(ev, replies);
    const [first, ...rest] = replies;
    if (!first) return;
    const respond = this.deps.responseUrls.to(a.responseUrl);
    const elsewhere = a.channel && client ? inPlace(client, a.channel, a.user, a.threadTs) : viaRespond(respond);
    // A message others can see (not ephemeral, not a DM) shows a private answer to nobody but the clicker.
    const seenByOthers = Boolean(a.channel && !a.channel.startsWith('D') && !a.ephemeral);
    /**
     * Replaces the clicked message through response_url; when Slack keeps refusing that, through chat.update
     * (the Web API client retries on its own), which reaches any message but an ephemeral one. False when neither did.
     */
    const replaceClicked = async (m: SlackMessage): Promise<boolean> => {
      try {
        await respond({ ...m, replace_original: true });
        return true;
      } catch (e) {
        try {
          if (!a.channel || !a.messageTs || a.ephemeral || !client) throw e;
          await client.chat.update({ channel: a.channel, ts: a.messageTs, text: m.text, blocks: m.blocks });
          return true;
        } catch (u) {
          engine.log.warn({ err: String(u) }, 'slack could not update the clicked message');
          return false;
        }
      }
    };
    if (seenByOthers && first.visibility !== 'public') {
      await replaceClicked(settled(a.blocks, 'Answered privately', a.user));
      return this.deliver(ev, replies, elsewhere);
    }
    const next = first.buttons?.length || first.choices?.options.length;
    const replaced = next ? render(first) : null;
    if (replaced) await saveStash(engine, engine.tenantFor('slack', ev.scope), replaced.stash);
    const shown = await replaceClicked(replaced ? replaced.message : settled(a.blocks, first.text, a.user));
    // An outcome the clicked message could not show is still an answer: it goes the way the others go.
    await this.deliver(ev, shown ? rest : replies, elsewhere, shown ? 1 : 0);
  }

  /**
   * A reply Slack still refused after its retries (a response_url answering 429 again and again, an expired
   * response_url, a channel the bot is not in) goes through the outbox instead of being lost: a public one to
   * the channel, a private one to the person's DM.
   */
  private async undelivered(ev: ChatEvent, reply: Reply, n: number, e: unknown): Promise<void> {
    const { engine } = this.deps;
    const tenant = engine.tenantFor('slack', ev.scope);
    const toChannel = reply.visibility === 'public' && ev.channel && !ev.channel.startsWith('D');
    engine.log.warn({ err: String(e), eventId: ev.eventId, to: toChannel ? 'channel' : 'dm' }, 'slack answer refused; sent through the outbox instead');
    const target = toChannel ? `channel:${ev.channel}` : ev.actor.identity;
    await engine.outbox.send(tenant, { platform: 'slack', target, reply, idempotencyKey: `slack:${ev.eventId}:undelivered:${n}` });
  }

  /** The Web API client of a team's bot (the one token of a single workspace); null when the team has no install. */
  private async client(tenant: string, team: string): Promise<webApi.WebClient | null> {
    const token = await this.deps.tokens.forSend(tenant, team);
    return token ? this.deps.clients.get(token) : null;
  }
}
