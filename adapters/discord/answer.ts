import { MessageFlags, Routes, type REST } from 'discord.js';
import { z } from 'zod';
import type { ChatEvent, Engine, Reply } from '../../core/index.js';
import { messageData, restFailure } from './api.js';
import { renderAndStore } from './callbacks.js';
import type { RenderedMessage } from './render.js';

/**
 * Where a queued interaction's answer goes, written into the event when it is recorded and read back (checked)
 * where the event is handled: the interaction token (with when it was given), whether it came from a server, and
 * what the deferred ack made @original: a command's "thinking…" placeholder, or for a click on the clicker's own
 * message (`own`) that message itself (a deferred update), else a private "thinking…" placeholder.
 */
export const answerAddressSchema = z.object({
  via: z.literal('interaction'),
  // It goes into a URL path: Discord's tokens are base64url with dots, nothing that could leave the path.
  token: z.string().min(1).max(500).regex(/^[\w.-]+$/),
  at: z.iso.datetime(),
  guild: z.boolean(),
  deferred: z.enum(['command', 'click']),
  own: z.boolean(),
});
export type AnswerAddress = z.infer<typeof answerAddressSchema>;

/** How long Discord takes webhook calls with an interaction token (https://discord.com/developers/docs/interactions/receiving-and-responding#followup-messages). */
export const INTERACTION_TOKEN_TTL_MS = 15 * 60 * 1000;

/** A reply with its rendering and whether it may be seen by the channel. */
export interface Answer {
  reply: Reply;
  msg: RenderedMessage;
  public: boolean;
}

/** A click's outcome replacing the clicked message: its buttons and embeds go unless the outcome has its own. */
export const asUpdate = (msg: RenderedMessage): RenderedMessage => ({ ...msg, body: { ...msg.body, components: msg.body.components ?? [], embeds: msg.body.embeds ?? [] } });

/**
 * Answers to interactions through their token's webhook: follow-ups and edits of @original, where the request was
 * received (an inline answer's follow-ups) or where it is handled (a deferred answer, a replay). The application
 * id is configuration; the token in the path authorizes the calls, and it is never logged.
 */
export class InteractionAnswers {
  constructor(private readonly engine: Engine, private readonly rest: REST, private readonly appId: string) {}

  /** Renders the replies (storing long button values in the tenant) with whether the channel may see each. */
  async rendered(ev: ChatEvent, replies: Reply[]): Promise<Answer[]> {
    const msgs = await renderAndStore(this.engine, this.tenant(ev), replies);
    return msgs.map((msg, n) => ({ reply: replies[n]!, msg, public: replies[n]!.visibility === 'public' }));
  }

  /** A follow-up message; false when Discord refused it for good. */
  followUp(token: string, a: Answer, flags: number | undefined): Promise<boolean> {
    return this.webhook('follow-up', () => this.rest.post(Routes.webhook(this.appId, token), messageData(a.msg, { auth: false, flags })));
  }

  /**
   * The answer to a deferred interaction, once the work is done. A command: ephemeral in a server until the answer
   * shows what it is, so a public answer follows as its own message and the private placeholder goes away. A click:
   * the clicked message (own) or the private placeholder is edited with the first answer. What Discord refuses for
   * good (an expired token, an ack that never reached it) goes by DM instead of being lost.
   */
  async deferred(ev: ChatEvent, a: AnswerAddress, answers: Answer[]): Promise<void> {
    const flagsOf = (x: Answer) => (a.guild && !x.public ? MessageFlags.Ephemeral : undefined);
    const refused: Answer[] = [];
    const send = async (x: Answer, ok: Promise<boolean>) => {
      if (!(await ok)) refused.push(x);
    };
    if (a.deferred === 'click') {
      const [first, ...rest] = answers;
      if (first) await send(first, this.editOriginal(a.token, a.own ? asUpdate(first.msg) : first.msg));
      for (const x of rest) await send(x, this.followUp(a.token, x, flagsOf(x)));
    } else {
      let original = true;
      for (const x of answers) {
        if (original && (!a.guild || !x.public)) {
          original = false;
          await send(x, this.editOriginal(a.token, x.msg));
        } else {
          await send(x, this.followUp(a.token, x, flagsOf(x)));
        }
      }
      if (original) await this.webhook('delete', () => this.rest.delete(Routes.webhookMessage(this.appId, a.token), { auth: false }));
    }
    if (refused.length) await this.byDm(ev, refused.map((x) => x.reply), 'undelivered');
  }

  /**
   * The adapter's `answer` hook: a queued or replayed interaction answered at its address while its token is
   * under 15 minutes old, else (a late replay) by DM through the outbox. A deferred interaction is always answered.
   */
  async answer(ev: ChatEvent, replies: Reply[]): Promise<void> {
    const shown = replies.length ? replies : [{ text: 'Done.' }];
    const address = answerAddressSchema.safeParse(ev.answer);
    if (!address.success) {
      this.engine.log.warn({ eventId: ev.eventId, err: address.error.message }, 'discord answer address unreadable; answering by DM');
      return this.byDm(ev, shown, 'dm');
    }
    if (Date.parse(this.engine.now()) - Date.parse(address.data.at) >= INTERACTION_TOKEN_TTL_MS) return this.byDm(ev, shown, 'dm');
    await this.deferred(ev, address.data, await this.rendered(ev, shown));
  }

  private editOriginal(token: string, msg: RenderedMessage): Promise<boolean> {
    return this.webhook('edit', () => this.rest.patch(Routes.webhookMessage(this.appId, token), messageData(msg, { auth: false })));
  }

  /** One webhook call; a refusal is logged (without the token) and reported as false. */
  private async webhook(what: string, call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (e) {
      this.engine.log.warn({ failure: restFailure(e), what }, 'discord interaction reply refused');
      return false;
    }
  }

  private byDm(ev: ChatEvent, replies: Reply[], why: string): Promise<void> {
    return this.engine.replyToPerson(ev, replies, `discord:${ev.eventId}:${why}`);
  }

  private tenant(ev: ChatEvent): string {
    return this.engine.tenantFor('discord', ev.scope);
  }
}
