import type { App, RespondFn, webApi } from '@slack/bolt';
import type { ChatEvent, Engine, Reply } from '../../core/index.js';
import { BUSY_TEXT as BUSY, NOT_RECORDED_TEXT, QUEUED_TEXT as QUEUED } from '../../core/index.js';
import { DEAL_MODAL, dealModal, dealSubmission } from './modal.js';
import type { DisplayNames } from './names.js';
import { actionEvent, addressedCommand, botUserIds, commandEvent, mentionEvent, messageEvent, submissionEvent } from './normalize.js';
import { appMentionSchema, blockActionsSchema, eventCallbackSchema, messageEventSchema, slashCommandSchema, viewSubmissionSchema } from './payloads.js';
import { render, settled, type SlackMessage } from './render.js';
import { saveStash, unstash } from './stash.js';

export interface ListenerDeps {
  engine: Engine;
  names: DisplayNames;
}

const SORRY: Reply = { text: 'Something went wrong on our side. Try again in a moment.' };

/** Posts one rendered reply, privately (only the asker sees it) or for everyone where it was asked. */
type Post = (m: SlackMessage, visibility: 'private' | 'public') => Promise<unknown>;

/**
 * Wires Bolt to the engine: every slash command (any name, so plugin commands work without code here),
 * channel messages, their edits and mentions, button clicks, and the `/deal add` form. Answers go where the
 * person asked (the thread included), private unless the core marks them public. Nothing here decides anything.
 */
export function registerListeners(app: App, { engine, names }: ListenerDeps): void {
  const log = engine.log;
  const isCommand = (name: string) => Boolean(engine.commands.get(name));

  /** Events, clicks and forms (Bolt acknowledged them already) go through the same bounded queue as commands. */
  const handle = async (ev: ChatEvent): Promise<Reply[]> => {
    try {
      const accepted = await engine.ingress.submit(ev);
      return accepted.kind === 'busy' ? [{ text: BUSY }] : engine.repliesFor(await accepted.outcome);
    } catch (e) {
      log.error({ err: String(e), eventId: ev.eventId }, 'slack event failed');
      return [SORRY];
    }
  };

  /** The person's Slack name and time zone (users.info, cached); their id when Slack will not say. */
  const named = async (ev: ChatEvent, client: webApi.WebClient, team: string, user: string): Promise<ChatEvent> => {
    const person = await names.person(client, team, user);
    ev.actor.displayName = person?.name ?? ev.actor.displayName;
    ev.actor.timezone = person?.timezone ?? null;
    return ev;
  };

  /** Answers by DM through the outbox, where there is no message to answer under. */
  const toDm = async (ev: ChatEvent, replies: Reply[]) => {
    const tenant = engine.tenantFor('slack', ev.scope);
    for (const [i, reply] of replies.entries()) {
      await engine.outbox.send(tenant, { platform: 'slack', target: ev.actor.identity, reply, idempotencyKey: `slack:${ev.eventId}:${i}` });
    }
  };

  /**
   * A reply Slack still refused after its retries (a response_url answering 429 again and again, an expired
   * response_url, a channel the bot is not in) goes through the outbox instead of being lost: a public one to
   * the channel, a private one to the person's DM.
   */
  const undelivered = async (ev: ChatEvent, reply: Reply, n: number, e: unknown) => {
    const tenant = engine.tenantFor('slack', ev.scope);
    const toChannel = reply.visibility === 'public' && ev.channel && !ev.channel.startsWith('D');
    log.warn({ err: String(e), eventId: ev.eventId, to: toChannel ? 'channel' : 'dm' }, 'slack answer refused; sent through the outbox instead');
    const target = toChannel ? `channel:${ev.channel}` : ev.actor.identity;
    await engine.outbox.send(tenant, { platform: 'slack', target, reply, idempotencyKey: `slack:${ev.eventId}:undelivered:${n}` });
  };

  /** Shows replies where the person is; a chart (data URL) cannot go there, so it goes to their DM. */
  const deliver = async (ev: ChatEvent, replies: Reply[], post: Post, first = 0) => {
    const tenant = engine.tenantFor('slack', ev.scope);
    for (const [i, reply] of replies.entries()) {
      const r = render(reply);
      const visibility = reply.visibility === 'public' ? 'public' : 'private';
      await saveStash(engine, tenant, r.stash);
      if (r.upload) {
        await toDm(ev, [reply]);
        await post(render({ text: 'I sent you the chart in a direct message.' }).message, 'private').catch((e: unknown) => log.warn({ err: String(e) }, 'slack chart pointer refused'));
      } else await post(r.message, visibility).catch((e: unknown) => undelivered(ev, reply, first + i, e));
    }
  };

  /** Through the command's response_url: ephemeral unless public. */
  const viaRespond = (respond: RespondFn): Post => (m, visibility) =>
    respond({ ...m, response_type: visibility === 'public' ? 'in_channel' : 'ephemeral', replace_original: false });

  /** In the channel, or in the thread when the message was in one: ephemeral to `user` unless public. */
  const inPlace = (client: webApi.WebClient, channel: string, user: string, threadTs: string | undefined): Post => (m, visibility) => {
    const thread = threadTs ? { thread_ts: threadTs } : {};
    return visibility === 'public'
      ? client.chat.postMessage({ channel, text: m.text, blocks: m.blocks, ...thread })
      : client.chat.postEphemeral({ channel, user, text: m.text, blocks: m.blocks, ...thread });
  };

  /**
   * A slash command is recorded before Slack gets its ack, then named (users.info) and answered through
   * response_url when its turn comes; with others ahead of it the ack says so, with the queue full it says to try again.
   */
  const queued = async (ev: ChatEvent, naming: (e: ChatEvent) => Promise<ChatEvent>, ack: (r?: { response_type: 'ephemeral'; text: string }) => Promise<void>, respond: RespondFn) => {
    let accepted: Awaited<ReturnType<typeof engine.ingress.submit>>;
    try {
      accepted = await engine.ingress.submit(ev, naming);
    } catch (e) {
      log.error({ err: String(e), eventId: ev.eventId }, 'slack command not recorded');
      return ack({ response_type: 'ephemeral', text: NOT_RECORDED_TEXT });
    }
    if (accepted.kind === 'busy') return ack({ response_type: 'ephemeral', text: BUSY });
    await ack(accepted.inline ? undefined : { response_type: 'ephemeral', text: QUEUED });
    const replies = await accepted.outcome.then((out) => engine.repliesFor(out), (e: unknown) => {
      log.error({ err: String(e), eventId: ev.eventId }, 'slack event failed');
      return [SORRY];
    });
    await deliver(ev, replies, viaRespond(respond));
  };

  app.command(/^\/.+/, async ({ body, ack, respond, client }) => {
    const c = slashCommandSchema.safeParse(body);
    if (!c.success) return ack('That command could not be read. Try again.');
    const ev = commandEvent(c.data);
    const naming = (e: ChatEvent) => named(e, client, c.data.team_id, c.data.user_id);
    if (ev.command!.name !== 'deal' || ev.command!.args !== 'add' || !engine.commands.get('deal')) return queued(ev, naming, ack, respond);
    // `/deal add` alone opens the form: nothing to record until it is submitted.
    await ack();
    const stages = engine.settings(engine.tenantFor('slack', ev.scope)).stages.map((s) => s.id);
    try {
      await client.views.open({ trigger_id: c.data.trigger_id, view: dealModal(stages, ev.channel) });
    } catch (e) {
      log.warn({ err: String(e) }, 'slack views.open failed');
      await respond({ text: 'The form did not open. Type it instead: /deal add <customer> <amount>', response_type: 'ephemeral' });
    }
  });

  app.event('message', async ({ body, client, context }) => {
    const env = eventCallbackSchema.safeParse(body);
    const m = messageEventSchema.safeParse(body.event);
    if (!env.success || !m.success) return void log.warn('slack message event of an unexpected shape ignored');
    // `@crm deal list` arrives twice, as app_mention (the command) and as this message: it is not chatter.
    const bots = [...botUserIds(env.data), ...(context.botUserId ? [context.botUserId] : [])];
    if (!m.data.subtype && bots.length && addressedCommand(m.data.text, isCommand, bots)) return;
    const ev = messageEvent(env.data, m.data);
    if (!ev) return;
    if (!ev.edit) await named(ev, client, env.data.team_id, m.data.user!);
    await deliver(ev, await handle(ev), inPlace(client, m.data.channel, m.data.user ?? '', m.data.thread_ts));
  });

  app.event('app_mention', async ({ body, client }) => {
    const env = eventCallbackSchema.safeParse(body);
    const m = appMentionSchema.safeParse(body.event);
    if (!env.success || !m.success) return void log.warn('slack app_mention event of an unexpected shape ignored');
    const ev = mentionEvent(env.data, m.data, isCommand);
    if (!ev) return;
    await named(ev, client, env.data.team_id, m.data.user!);
    await deliver(ev, await handle(ev), inPlace(client, m.data.channel, m.data.user!, m.data.thread_ts));
  });

  app.action(/.*/, async ({ body, ack, respond, client }) => {
    await ack();
    const p = blockActionsSchema.safeParse(body);
    if (!p.success) return void log.warn('slack block_actions of an unexpected shape ignored');
    const ev = actionEvent(p.data);
    if (!ev) return;
    await named(ev, client, ev.scope!, p.data.user.id);
    ev.action!.value = await unstash(engine, engine.tenantFor('slack', ev.scope), ev.action!.value);
    const replies = await handle(ev);
    if (!p.data.response_url) return toDm(ev, replies);
    const [first, ...rest] = replies;
    if (!first) return;
    const thread = p.data.message?.thread_ts ?? p.data.container?.thread_ts;
    const elsewhere = p.data.channel ? inPlace(client, p.data.channel.id, p.data.user.id, thread) : viaRespond(respond);
    // A message others can see (not ephemeral, not a DM) shows a private answer to nobody but the clicker.
    const seenByOthers = Boolean(p.data.channel && !p.data.channel.id.startsWith('D') && !p.data.container?.is_ephemeral);
    /**
     * Replaces the clicked message through response_url; when Slack keeps refusing that, through chat.update
     * (the Web API client retries on its own), which reaches any message but an ephemeral one. False when neither did.
     */
    const replaceClicked = async (m: SlackMessage): Promise<boolean> => {
      try {
        await respond({ ...m, replace_original: true });
        return true;
      } catch (e) {
        const ts = p.data.message?.ts ?? p.data.container?.message_ts;
        try {
          if (!p.data.channel || !ts || p.data.container?.is_ephemeral) throw e;
          await client.chat.update({ channel: p.data.channel.id, ts, text: m.text, blocks: m.blocks });
          return true;
        } catch (u) {
          log.warn({ err: String(u) }, 'slack could not update the clicked message');
          return false;
        }
      }
    };
    if (seenByOthers && first.visibility !== 'public') {
      await replaceClicked(settled(p.data.message?.blocks, 'Answered privately', p.data.user.id));
      return deliver(ev, replies, elsewhere);
    }
    // The clicked message changes in place: a next step replaces it, an outcome replaces its buttons.
    const next = first.buttons?.length || first.choices?.options.length;
    const replaced = next ? render(first) : null;
    if (replaced) await saveStash(engine, engine.tenantFor('slack', ev.scope), replaced.stash);
    const shown = await replaceClicked(replaced ? replaced.message : settled(p.data.message?.blocks, first.text, p.data.user.id));
    // An outcome the clicked message could not show is still an answer: it goes the way the others go.
    await deliver(ev, shown ? rest : replies, elsewhere, shown ? 1 : 0);
  });

  app.view(DEAL_MODAL, async ({ body, ack, client }) => {
    const p = viewSubmissionSchema.safeParse(body);
    if (!p.success) return ack();
    const s = dealSubmission(p.data.view.state.values);
    if (!s.ok) return ack({ response_action: 'errors', errors: s.errors });
    await ack();
    const ev = submissionEvent(p.data, { name: 'deal', args: s.args });
    if (!ev) return;
    await named(ev, client, ev.scope!, p.data.user.id);
    // The modal is gone once acknowledged, so the answer goes to the person's DM.
    await toDm(ev, await handle(ev));
  });
}
