import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatEvent, Reply } from '../core/index.js';
import { startTestApp, type TestApp } from './helpers/app.js';

/**
 * Answers sent where requests are handled (`engine.processAdmitted` with an answer address) reach a person in the
 * order they asked, even when an earlier answer takes longer to deliver (a 429 waited out, a slow platform): Telegram's
 * `/start` records two events, and a person typing two commands expects two answers in that order.
 */
describe('answers at an address, one person', () => {
  let app: TestApp;
  const delivered: string[] = [];
  let releaseFirst!: () => void;
  const firstHeld = new Promise<void>((ok) => (releaseFirst = ok));

  beforeAll(async () => {
    app = await startTestApp();
    app.engine.useAdapters([{
      platform: 'discord',
      async answer(_engine, ev: ChatEvent, replies: Reply[]) {
        if (ev.eventId === 'order-1') await firstHeld;
        delivered.push(`${ev.actor.identity} ${ev.eventId}: ${replies[0]?.text.split('\n')[0]}`);
      },
    }]);
  });
  afterAll(() => app?.stop());

  const event = (identity: string, eventId: string, text: string): ChatEvent => ({
    platform: 'discord', scope: 'guild-1', actor: { identity, displayName: identity }, channel: 'c1', eventId, text, answer: { via: 'test' },
  });

  it("waits for a person's earlier answer before sending the next, and holds up no one else", async () => {
    await app.engine.processAdmitted(event('discord:ann', 'order-1', '/crm whoami'), false);
    await app.engine.processAdmitted(event('discord:ann', 'order-2', '/crm help'), false);
    await app.engine.processAdmitted(event('discord:bob', 'order-3', '/crm whoami'), false);
    // Bob's answer is not held behind Ann's.
    for (let i = 0; i < 100 && delivered.length < 1; i++) await new Promise((ok) => setTimeout(ok, 10));
    expect(delivered).toEqual([expect.stringMatching(/^discord:bob order-3: /)]);
    releaseFirst();
    await app.engine.answersDelivered();
    expect(delivered.map((d) => d.split(':').slice(0, 2).join(':'))).toEqual(['discord:bob order-3', 'discord:ann order-1', 'discord:ann order-2']);
  });
});
