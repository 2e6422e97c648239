import { describe, expect, it } from 'vitest';
import { normalizeMessage } from '../adapters/discord/normalize.js';
import { messageEvent } from '../adapters/slack/normalize.js';
import { fixture as discordFixture } from './fixtures/discord/harness.js';
import { fixture as slackFixture } from './fixtures/slack/harness.js';

/** Replies name the message they answer (ChatEvent.inReplyTo), which listening counts as the parent author's reach. */
describe('reply signals from the platforms', () => {
  it('Slack: a thread reply names its parent by thread_ts; a parent and a plain message name none', () => {
    const reply = slackFixture('message-thread-reply.json');
    expect(messageEvent(reply, reply.event)).toMatchObject({ messageId: 'C2147483705:1700000100.000200', inReplyTo: 'C2147483705:1700000000.000100' });
    const parent = { ...reply.event, ts: '1700000000.000100' };
    expect(messageEvent(reply, parent)).not.toHaveProperty('inReplyTo');
    const plain = slackFixture('event-message.json');
    expect(messageEvent(plain, plain.event)).not.toHaveProperty('inReplyTo');
  });

  it('Discord: a reply (message_reference type 0 or absent) names the message; a forward (type 1) does not', () => {
    const d = discordFixture('message-create.json').d;
    // https://discord.com/developers/docs/resources/message#message-reference-structure
    const ref = { message_id: '1800000000000000000', channel_id: d.channel_id, guild_id: d.guild_id };
    expect(normalizeMessage({ ...d, message_reference: { type: 0, ...ref } })).toMatchObject({ inReplyTo: '1800000000000000000' });
    expect(normalizeMessage({ ...d, message_reference: ref })).toMatchObject({ inReplyTo: '1800000000000000000' });
    expect(normalizeMessage({ ...d, message_reference: { type: 1, ...ref } })).not.toHaveProperty('inReplyTo');
    expect(normalizeMessage(d)).not.toHaveProperty('inReplyTo');
  });
});
