import type { App, RespondFn, webApi } from '@slack/bolt';
import type { ChatEvent, Engine, Reply } from '../../core/index.js';
import { DEAL_MODAL, dealModal, dealSubmission } from './modal.js';
import type { DisplayNames } from './names.js';
import { actionEvent, commandEvent, mentionEvent, messageEvent, submissionEvent } from './normalize.js';
import { appMentionSchema, blockActionsSchema, eventCallbackSchema, messageEventSchema, slashCommandSchema, viewSubmissionSchema } from './payloads.js';
import { render, type SlackMessage } from './render.js';
import { saveStash, unstash } from './stash.js';

export interface ListenerDeps {
  engine: Engine;
  names: DisplayNames;
}

const SORRY: Reply = { text: 'Something went wrong on our side. Try again in a moment.' };

/**
 * Wires Bolt to the engine: every slash command (any name, so plugin commands work without code here),
 * channel messages and mentions, button clicks, and the `/deal add` form. Nothing here decides anything.
 */
export function registerListeners(app: App, { engine, names }: ListenerDeps): void {
  const log = engine.log;

  const handle = async (ev: ChatEvent): Promise<Reply[]> => {
    try {
      return await engine.handle(ev);
    } catch (e) {
      log.error({ err: String(e), eventId: ev.eventId }, 'slack event failed');
      return [SORRY];
    }
  };

  /** Answers by DM through the outbox, where there is no message to answer under. */
  const toDm = async (ev: ChatEvent, replies: Reply[]) => {
    const tenant = engine.tenantFor('slack', ev.scope);
    for (const [i, reply] of replies.entries()) {
      await engine.outbox.send(tenant, { platform: 'slack', target: ev.actor.identity, reply, idempotencyKey: `slack:${ev.eventId}:${i}` });
    }
  };

  /** Shows replies where the person is; a chart (data URL) cannot go there, so it goes to their DM. */
  const deliver = async (ev: ChatEvent, replies: Reply[], post: (m: SlackMessage) => Promise<unknown>) => {
    const tenant = engine.tenantFor('slack', ev.scope);
    for (const reply of replies) {
      const r = render(reply);
      await saveStash(engine, tenant, r.stash);
      if (r.upload) {
        await toDm(ev, [reply]);
        await post(render({ text: 'I sent you the chart in a direct message.' }).message);
      } else await post(r.message);
    }
  };
  const viaRespond = (respond: RespondFn) => (m: SlackMessage) => respond({ ...m, response_type: 'ephemeral', replace_original: false });
  const ephemeral = (client: webApi.WebClient, ev: ChatEvent, user: string) => (m: SlackMessage) =>
    client.chat.postEphemeral({ channel: ev.channel, user, text: m.text, blocks: m.blocks });

  app.command(/^\/.+/, async ({ body, ack, respond, client }) => {
    const c = slashCommandSchema.safeParse(body);
    if (!c.success) return ack('That command could not be read. Try again.');
    const ev = commandEvent(c.data);
    await ack();
    if (ev.command!.name === 'deal' && ev.command!.args === 'add' && engine.commands.get('deal')) {
      const stages = engine.settings(engine.tenantFor('slack', ev.scope)).stages.map((s) => s.id);
      try {
        await client.views.open({ trigger_id: c.data.trigger_id, view: dealModal(stages, ev.channel) });
      } catch (e) {
        log.warn({ err: String(e) }, 'slack views.open failed');
        await respond({ text: 'The form did not open. Type it instead: /deal add <customer> <amount>', response_type: 'ephemeral' });
      }
      return;
    }
    await deliver(ev, await handle(ev), viaRespond(respond));
  });

  app.event('message', async ({ body, client }) => {
    const env = eventCallbackSchema.safeParse(body);
    const m = messageEventSchema.safeParse(body.event);
    if (!env.success || !m.success) return void log.warn('slack message event of an unexpected shape ignored');
    const ev = messageEvent(env.data, m.data);
    if (!ev) return;
    ev.actor.displayName = (await names.get(client, env.data.team_id, m.data.user!)) ?? ev.actor.displayName;
    await deliver(ev, await handle(ev), ephemeral(client, ev, m.data.user!));
  });

  app.event('app_mention', async ({ body, client }) => {
    const env = eventCallbackSchema.safeParse(body);
    const m = appMentionSchema.safeParse(body.event);
    if (!env.success || !m.success) return void log.warn('slack app_mention event of an unexpected shape ignored');
    const ev = mentionEvent(env.data, m.data, (name) => Boolean(engine.commands.get(name)));
    if (!ev) return;
    ev.actor.displayName = (await names.get(client, env.data.team_id, m.data.user!)) ?? ev.actor.displayName;
    await deliver(ev, await handle(ev), ephemeral(client, ev, m.data.user!));
  });

  app.action(/.*/, async ({ body, ack, respond }) => {
    await ack();
    const p = blockActionsSchema.safeParse(body);
    if (!p.success) return void log.warn('slack block_actions of an unexpected shape ignored');
    const ev = actionEvent(p.data);
    if (!ev) return;
    ev.action!.value = await unstash(engine, engine.tenantFor('slack', ev.scope), ev.action!.value);
    const replies = await handle(ev);
    if (p.data.response_url) await deliver(ev, replies, viaRespond(respond));
    else await toDm(ev, replies);
  });

  app.view(DEAL_MODAL, async ({ body, ack }) => {
    const p = viewSubmissionSchema.safeParse(body);
    if (!p.success) return ack();
    const s = dealSubmission(p.data.view.state.values);
    if (!s.ok) return ack({ response_action: 'errors', errors: s.errors });
    await ack();
    const ev = submissionEvent(p.data, { name: 'deal', args: s.args });
    if (!ev) return;
    // The modal is gone once acknowledged, so the answer goes to the person's DM.
    await toDm(ev, await handle(ev));
  });
}
