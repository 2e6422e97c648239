import type { App } from '@slack/bolt';
import type { ChatEvent, Engine } from '../../core/index.js';
import { BUSY_TEXT as BUSY, NOT_RECORDED_TEXT, QUEUED_TEXT as QUEUED } from '../../core/index.js';
import { addressed, type SlackAnswers } from './answer.js';
import { DEAL_MODAL, dealModal, dealSubmission } from './modal.js';
import { actionEvent, addressedCommand, botUserIds, commandEvent, mentionEvent, messageEvent, submissionEvent } from './normalize.js';
import { appMentionSchema, blockActionsSchema, eventCallbackSchema, messageEventSchema, slashCommandSchema, viewSubmissionSchema } from './payloads.js';
import { render, type SlackMessage } from './render.js';

export interface ListenerDeps {
  engine: Engine;
  answers: SlackAnswers;
}

/**
 * Wires Bolt to the engine: every slash command (any name, so plugin commands work without code here),
 * channel messages, their edits and mentions, button clicks, and the `/deal add` form. Answers go where the
 * person asked (the thread included), private unless the core marks them public. Nothing here decides anything.
 * A listener verifies (Bolt), records and acknowledges; the person is named and answered where the request is
 * handled (SlackAnswers, run by the engine there), from the address the event carries.
 */
export function registerListeners(app: App, { engine, answers }: ListenerDeps): void {
  const log = engine.log;
  const isCommand = (name: string) => Boolean(engine.commands.get(name));

  /**
   * Records an addressed event (Bolt acknowledged it already) in the same bounded queue as commands; it is
   * answered where it is handled. Only what never reaches that side is answered here: the queue being full, a
   * refusal at the door (rate limits), the inbox not taking it.
   */
  const submit = async (ev: ChatEvent): Promise<void> => {
    try {
      const accepted = await engine.ingress.submit(ev);
      if (accepted.kind === 'busy') return answers.answer(ev, [{ text: BUSY }]);
      if (accepted.id === null) return answers.answer(ev, engine.repliesFor(await accepted.outcome));
      // Answered (a failure too) and logged where it is handled.
      accepted.outcome.catch(() => undefined);
    } catch (e) {
      log.error({ err: String(e), eventId: ev.eventId }, 'slack event not recorded');
      return answers.answer(ev, [{ text: NOT_RECORDED_TEXT }]);
    }
  };

  /**
   * A slash command is recorded before Slack gets its ack and answered through its response_url where it is
   * handled; with others ahead of it the ack says so, with the queue full it says to try again, and a refusal at
   * the door (nothing recorded) is the ack itself.
   */
  const queued = async (ev: ChatEvent, ack: (r?: { response_type: 'ephemeral'; text: string; blocks?: SlackMessage['blocks'] }) => Promise<void>) => {
    let accepted: Awaited<ReturnType<typeof engine.ingress.submit>>;
    try {
      accepted = await engine.ingress.submit(ev);
    } catch (e) {
      log.error({ err: String(e), eventId: ev.eventId }, 'slack command not recorded');
      return ack({ response_type: 'ephemeral', text: NOT_RECORDED_TEXT });
    }
    if (accepted.kind === 'busy') return ack({ response_type: 'ephemeral', text: BUSY });
    if (accepted.id === null) {
      const [refusal] = engine.repliesFor(await accepted.outcome);
      return ack(refusal ? { response_type: 'ephemeral', ...render(refusal).message } : undefined);
    }
    accepted.outcome.catch(() => undefined);
    await ack(accepted.inline ? undefined : { response_type: 'ephemeral', text: QUEUED });
  };

  app.command(/^\/.+/, async ({ body, ack, client }) => {
    const c = slashCommandSchema.safeParse(body);
    if (!c.success) return ack('That command could not be read. Try again.');
    const ev = commandEvent(c.data);
    if (ev.command!.name !== 'deal' || ev.command!.args !== 'add' || !engine.commands.get('deal')) {
      return queued(addressed(ev, { via: 'response_url', url: c.data.response_url, at: engine.now() }), ack);
    }
    // `/deal add` alone opens the form: nothing to record until it is submitted.
    await ack();
    const stages = engine.settings(engine.tenantFor('slack', ev.scope)).stages.map((s) => s.id);
    try {
      await client.views.open({ trigger_id: c.data.trigger_id, view: dealModal(stages, ev.channel) });
    } catch (e) {
      log.warn({ err: String(e) }, 'slack views.open failed');
      await answers.respond(c.data.response_url)({ text: 'The form did not open. Type it instead: /deal add <customer> <amount>', response_type: 'ephemeral' });
    }
  });

  app.event('message', async ({ body, context }) => {
    const env = eventCallbackSchema.safeParse(body);
    const m = messageEventSchema.safeParse(body.event);
    if (!env.success || !m.success) return void log.warn('slack message event of an unexpected shape ignored');
    // `@crm deal list` arrives twice, as app_mention (the command) and as this message: it is not chatter.
    const bots = [...botUserIds(env.data), ...(context.botUserId ? [context.botUserId] : [])];
    if (!m.data.subtype && bots.length && addressedCommand(m.data.text, isCommand, bots)) return;
    const ev = messageEvent(env.data, m.data);
    if (!ev) return;
    // An edit or a deletion asks nothing of anyone: it has no address, and nothing answers it.
    await submit(ev.edit ? ev : addressed(ev, { via: 'in_place', channel: m.data.channel, user: m.data.user!, threadTs: m.data.thread_ts }));
  });

  app.event('app_mention', async ({ body }) => {
    const env = eventCallbackSchema.safeParse(body);
    const m = appMentionSchema.safeParse(body.event);
    if (!env.success || !m.success) return void log.warn('slack app_mention event of an unexpected shape ignored');
    const ev = mentionEvent(env.data, m.data, isCommand);
    if (!ev) return;
    await submit(addressed(ev, { via: 'in_place', channel: m.data.channel, user: m.data.user!, threadTs: m.data.thread_ts }));
  });

  app.action(/.*/, async ({ body, ack }) => {
    await ack();
    const p = blockActionsSchema.safeParse(body);
    if (!p.success) return void log.warn('slack block_actions of an unexpected shape ignored');
    const ev = actionEvent(p.data);
    if (!ev) return;
    const { response_url: responseUrl, channel, container, message, user } = p.data;
    await submit(addressed(ev, {
      via: 'click', responseUrl, at: engine.now(), user: user.id, channel: channel?.id, threadTs: message?.thread_ts ?? container?.thread_ts,
      messageTs: message?.ts ?? container?.message_ts, ephemeral: Boolean(container?.is_ephemeral), blocks: message?.blocks,
    }));
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
    await submit(addressed(ev, { via: 'dm' }));
  });
}
