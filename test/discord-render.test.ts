import { describe, expect, it } from 'vitest';
import type { Reply } from '../core/index.js';
import { decodeComponent, encodeAction, type StoredCallback } from '../adapters/discord/custom-id.js';
import { render } from '../adapters/discord/render.js';
import { publicKeyFromHex, timestampFresh, verifyInteraction } from '../adapters/discord/verify.js';
import { sign } from 'node:crypto';
import { testKeys } from './fixtures/discord/harness.js';

const base = { allowed_mentions: { parse: [] } };
const field = (i: number) => ({ label: `L${i}`, value: `V${i}` });
const button = (i: number) => ({ id: 'deal.won', label: `B${i}`, value: `D-${i}` });

describe('render', () => {
  const cases: { name: string; reply: Reply; want: (out: ReturnType<typeof render>) => void }[] = [
    { name: 'plain text, mentions never ping', reply: { text: 'hello @everyone and @here' },
      want: (o) => expect(o.body).toEqual({ ...base, content: 'hello @everyone and @here' }) },
    { name: 'text longer than 2000 is cut', reply: { text: 'a'.repeat(2500) },
      want: (o) => expect(o.body.content).toHaveLength(2000) },
    { name: 'empty text with nothing else is not an empty message', reply: { text: '' },
      want: (o) => expect(o.body.content).toBe('\u200b') },
    { name: 'fields become one embed', reply: { text: 't', fields: [field(1), field(2)] },
      want: (o) => expect(o.body.embeds).toEqual([{ fields: [{ name: 'L1', value: 'V1' }, { name: 'L2', value: 'V2' }] }]) },
    { name: 'at most 25 fields, the rest counted in the footer', reply: { text: 't', fields: Array.from({ length: 30 }, (_, i) => field(i)) },
      want: (o) => { expect(o.body.embeds![0]!.fields).toHaveLength(25); expect(o.body.embeds![0]!.footer).toEqual({ text: '+5 more not shown' }); } },
    { name: 'field names cut at 256, values at 1024, empty ones filled', reply: { text: 't', fields: [{ label: 'n'.repeat(300), value: 'v'.repeat(2000) }, { label: '', value: ' ' }] },
      want: (o) => {
        const [a, b] = o.body.embeds![0]!.fields!;
        expect([a!.name.length, a!.value.length, a!.value.endsWith('…')]).toEqual([256, 1024, true]);
        expect(b).toEqual({ name: '\u200b', value: '\u200b' });
      } },
    { name: 'the embed stays under 6000 characters', reply: { text: 't', fields: Array.from({ length: 25 }, () => ({ label: 'x', value: 'y'.repeat(1024) })) },
      want: (o) => {
        const total = o.body.embeds![0]!.fields!.reduce((n, f) => n + f.name.length + f.value.length, 0) + (o.body.embeds![0]!.footer?.text.length ?? 0);
        expect(total).toBeLessThanOrEqual(6000);
        expect(o.body.embeds![0]!.footer?.text).toMatch(/more not shown/);
      } },
    { name: 'buttons: 5 per row, custom_id is id|value', reply: { text: 't', buttons: Array.from({ length: 7 }, (_, i) => button(i)) },
      want: (o) => {
        expect(o.body.components!.map((r) => r.components.length)).toEqual([5, 2]);
        expect(o.body.components![0]!.components[0]).toEqual({ type: 2, style: 1, label: 'B0', custom_id: 'deal.won|D-0' });
        expect(o.callbacks).toEqual([]);
      } },
    { name: 'at most 5 rows of buttons', reply: { text: 't', buttons: Array.from({ length: 30 }, (_, i) => button(i)) },
      want: (o) => expect(o.body.components!.flatMap((r) => r.components)).toHaveLength(25) },
    { name: 'a long value goes under a key, to be stored', reply: { text: 't', buttons: [{ id: 'survey.answer', label: 'Go', value: 'v'.repeat(120) }] },
      want: (o) => {
        const id = (o.body.components![0]!.components[0] as { custom_id: string }).custom_id;
        expect(id).toMatch(/^k:/);
        expect(o.callbacks).toEqual([{ id: id.slice(2), action: 'survey.answer', value: 'v'.repeat(120) }]);
      } },
    { name: 'choices become a string select, first row, leaving 4 rows for buttons', reply: {
      text: 't', buttons: Array.from({ length: 25 }, (_, i) => button(i)),
      choices: { id: 'survey.pick', placeholder: 'Pick one', options: [{ label: 'Great', value: 'S-1 5' }, { label: 'Long', value: 'l'.repeat(101) }] },
    }, want: (o) => {
      const [row, ...rest] = o.body.components!;
      expect(row!.components[0]).toMatchObject({ type: 3, custom_id: 'survey.pick|', placeholder: 'Pick one', options: [{ label: 'Great', value: 'S-1 5' }, { label: 'Long', value: expect.stringMatching(/^k:/) }] });
      expect(rest.flatMap((r) => r.components)).toHaveLength(20);
      expect(o.callbacks).toEqual([{ id: expect.any(String), action: 'survey.pick', value: 'l'.repeat(101) }]);
    } },
    { name: 'an https image goes in the embed', reply: { text: 'chart', image: 'https://example.com/c.png' },
      want: (o) => { expect(o.body.embeds).toEqual([{ image: { url: 'https://example.com/c.png' } }]); expect(o.files).toEqual([]); } },
    { name: 'a data: image becomes files[0] referenced as attachment://chart.png', reply: { text: 'chart', fields: [field(1)], image: 'data:image/png;base64,iVBORw0KGgo=' },
      want: (o) => {
        expect(o.body.embeds).toEqual([{ fields: [{ name: 'L1', value: 'V1' }], image: { url: 'attachment://chart.png' } }]);
        expect(o.body.attachments).toEqual([{ id: 0, filename: 'chart.png' }]);
        expect(o.files).toEqual([{ name: 'chart.png', contentType: 'image/png', data: Buffer.from('iVBORw0KGgo=', 'base64') }]);
      } },
    { name: 'other image URLs are left out', reply: { text: 'chart', image: 'javascript:alert(1)' },
      want: (o) => expect(o.body.embeds).toBeUndefined() },
  ];
  for (const c of cases) it(c.name, () => c.want(render(c.reply)));
});

describe('custom ids', () => {
  const store = new Map<string, StoredCallback>();
  const lookup = async (k: string) => store.get(k) ?? null;
  const roundTrip = async (id: string, value: string) => {
    const enc = encodeAction(id, value);
    if (enc.stored) store.set(enc.stored.id, enc.stored);
    expect(enc.customId.length).toBeLessThanOrEqual(100);
    return decodeComponent(enc.customId, undefined, lookup);
  };
  it.each([
    ['deal.won', 'D-12'],
    ['crm.role', 'discord:1 manager | with bars'],
    ['odd|id', 'x'],
    ['k:looks-like-a-key', 'x'],
    ['survey.answer', 'z'.repeat(500)],
    ['deal.lost', ''],
  ])('%s with %s survives the round trip', async (id, value) => {
    expect(await roundTrip(id, value)).toEqual({ id, value });
  });
  it('takes a select menu value from the chosen option, resolving stored ones', async () => {
    store.set('abc', { id: 'abc', action: 'survey.pick', value: 'a long one' });
    expect(await decodeComponent('survey.pick|', 'S-1 5', lookup)).toEqual({ id: 'survey.pick', value: 'S-1 5' });
    expect(await decodeComponent('survey.pick|', 'k:abc', lookup)).toEqual({ id: 'survey.pick', value: 'a long one' });
  });
  it('gives null for custom ids it did not make', async () => {
    expect(await decodeComponent('nobar', undefined, lookup)).toBeNull();
    expect(await decodeComponent('|x', undefined, lookup)).toBeNull();
    expect(await decodeComponent('k:missing', undefined, lookup)).toBeNull();
  });
});

describe('signature helpers', () => {
  const NOW = 1700000000_000;
  it('verifies Ed25519 over timestamp + body and nothing else', () => {
    const { publicHex, privateKey } = testKeys();
    const key = publicKeyFromHex(publicHex);
    const body = Buffer.from('{"type":1}');
    const sig = sign(null, Buffer.concat([Buffer.from('1700000000'), body]), privateKey).toString('hex');
    expect(verifyInteraction(key, sig, '1700000000', body, NOW)).toBe(true);
    expect(verifyInteraction(key, sig, '1700000001', body, NOW)).toBe(false);
    expect(verifyInteraction(key, sig, '1700000000', Buffer.from('{"type":2}'), NOW)).toBe(false);
    expect(verifyInteraction(key, sig.slice(2), '1700000000', body, NOW)).toBe(false);
    expect(verifyInteraction(key, undefined, '1700000000', body, NOW)).toBe(false);
    expect(verifyInteraction(key, ['a'], '1700000000', body, NOW)).toBe(false);
    // A valid signature made more than 5 minutes away from now is refused.
    expect(verifyInteraction(key, sig, '1700000000', body, NOW + 301_000)).toBe(false);
  });
  it.each([
    ['1700000000', NOW, true],
    ['1700000300', NOW, true],
    ['1699999700', NOW, true],
    ['1700000301', NOW, false],
    ['1699999699', NOW, false],
    ['', NOW, false],
    ['17e8', NOW, false],
    ['-1700000000', NOW, false],
    ['1700000000.5', NOW, false],
  ])('timestamp %j at %i fresh: %s', (ts, now, fresh) => expect(timestampFresh(ts, now)).toBe(fresh));
});
