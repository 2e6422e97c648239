import { describe, expect, it } from 'vitest';
import type { Reply } from '../core/index.js';
import { CALLBACK_DATA_BYTES, decodeCallbackData, encodeAction } from '../adapters/telegram/callback-data.js';
import { escapeHtml, MESSAGE_LIMIT, photoOf, render, splitSegments } from '../adapters/telegram/render.js';

const key = () => 'KEY123';

describe('Telegram render', () => {
  it.each<[string, Reply, string[]]>([
    ['plain text', { text: 'Hello' }, ['Hello']],
    ['HTML and Markdown characters in user text', { text: 'Use <b>bold</b> & *stars* _under_ `code`' }, ['Use &lt;b&gt;bold&lt;/b&gt; &amp; *stars* _under_ `code`']],
    ['fields as bold label lines, both escaped', { text: 'Card', fields: [{ label: 'A<b>', value: 'x & y' }, { label: 'Owner', value: '<script>' }] },
      ['Card\n<b>A&lt;b&gt;</b>: x &amp; y\n<b>Owner</b>: &lt;script&gt;']],
    ['an entity-looking text stays literal', { text: '&amp; &lt;' }, ['&amp;amp; &amp;lt;']],
    ['the choices placeholder as a line', { text: 'Rate us', choices: { id: 'survey.csat', placeholder: 'Pick 1-5', options: [{ label: '1', value: '1' }] } }, ['Rate us\nPick 1-5']],
    ['nothing to say', { text: '' }, []],
  ])('%s', (_name, reply, texts) => {
    expect(render(reply, key).messages.map((m) => m.text)).toEqual(texts);
  });

  it('lays buttons out three a row, then the choices, on one inline keyboard', () => {
    const reply: Reply = {
      text: 'Deal D-1',
      buttons: ['a', 'b', 'c', 'd'].map((v) => ({ id: 'deal.move', label: v.toUpperCase(), value: `D-1 ${v}` })),
      choices: { id: 'survey.nps', placeholder: '', options: [{ label: 'Zero', value: '0' }, { label: 'Ten', value: '10' }] },
    };
    const { messages, callbacks } = render(reply, key);
    expect(callbacks).toEqual([]);
    expect(messages).toEqual([{
      text: 'Deal D-1',
      reply_markup: { inline_keyboard: [
        [{ text: 'A', callback_data: 'deal.move|D-1 a' }, { text: 'B', callback_data: 'deal.move|D-1 b' }, { text: 'C', callback_data: 'deal.move|D-1 c' }],
        [{ text: 'D', callback_data: 'deal.move|D-1 d' }],
        [{ text: 'Zero', callback_data: 'survey.nps|0' }, { text: 'Ten', callback_data: 'survey.nps|10' }],
      ] },
    }]);
  });

  it('gives buttons without any text a line to hang on', () => {
    expect(render({ text: '', buttons: [{ id: 'a.b', label: 'Go', value: '1' }] }, key).messages[0]!.text).toBe('Choose an option:');
  });

  it('keeps callback_data within 64 bytes of UTF-8, storing longer values under a key', () => {
    // 20 characters but 60 bytes: fits on length, not on bytes.
    const multibyte = '€'.repeat(20);
    const id = 'deal.won';
    expect(`${id}|${multibyte}`.length).toBeLessThan(CALLBACK_DATA_BYTES);
    const { messages, callbacks } = render({ text: 'x', buttons: [{ id, label: 'Won', value: multibyte }, { id, label: 'Short', value: 'D-12' }] }, key);
    const row = messages[0]!.reply_markup!.inline_keyboard[0]!;
    expect(row[0]!.callback_data).toBe('k:KEY123');
    expect(row[1]!.callback_data).toBe('deal.won|D-12');
    expect(callbacks).toEqual([{ id: 'KEY123', action: id, value: multibyte }]);
    for (const b of row) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
  });

  it.each([
    ['exactly 64 bytes inline', 'a.b', 'x'.repeat(60), 'inline'],
    ['65 bytes stored', 'a.b', 'x'.repeat(61), 'stored'],
    ['multibyte 64 bytes inline', 'a.b', 'ä'.repeat(30), 'inline'],
    ['multibyte 66 bytes stored', 'a.b', 'ä'.repeat(31), 'stored'],
    ['an id with a bar stored', 'a|b', 'x', 'stored'],
  ])('encodes %s, and decodes back', (_n, id, value, how) => {
    const { data, stored } = encodeAction(id, value, key);
    expect(stored ? 'stored' : 'inline').toBe(how);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(decodeCallbackData(data)).toEqual(stored ? { kind: 'key', key: 'KEY123' } : { kind: 'action', id, value });
  });

  it('decodes values containing bars and rejects unknown forms', () => {
    expect(decodeCallbackData('deal.note|a|b')).toEqual({ kind: 'action', id: 'deal.note', value: 'a|b' });
    expect(decodeCallbackData('|x')).toBeNull();
    expect(decodeCallbackData('k:')).toBeNull();
    expect(decodeCallbackData('garbage')).toBeNull();
  });

  it('splits a long message at line breaks, never inside a tag or an entity', () => {
    const fields = Array.from({ length: 150 }, (_, i) => ({ label: `Row <${i}>`, value: `${'&'.repeat(10)} ${'v'.repeat(20)}` }));
    const { messages } = render({ text: 'Report', fields, buttons: [{ id: 'a.b', label: 'More', value: '1' }] }, key);
    expect(messages.length).toBe(2);
    for (const m of messages) {
      const visible = m.text.replace(/<\/?b>/g, '').replace(/&lt;|&gt;|&amp;/g, '_');
      expect(visible.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(m.text).toMatch(/^(<b>Row &lt;\d+&gt;<\/b>: (&amp;){10} v{20}|Report)(\n<b>Row &lt;\d+&gt;<\/b>: (&amp;){10} v{20})*$/);
    }
    expect(messages[0]!.reply_markup).toBeUndefined();
    expect(messages[1]!.reply_markup!.inline_keyboard[0]![0]!.text).toBe('More');
  });

  it.each([
    ['one unbroken word', [{ text: 'x'.repeat(10) }], 4, ['xxxx', 'xxxx', 'xx']],
    ['at a space near the end', [{ text: 'aaa bbb ccc' }], 8, ['aaa bbb', 'ccc']],
    ['at a line break before a space', [{ text: 'aa\nb c dd' }], 6, ['aa\nb c', 'dd']],
    ['not through a surrogate pair', [{ text: 'ab😀cd' }], 3, ['ab', '😀c', 'd']],
  ])('splits %s', (_n, segs, limit, out) => {
    expect(splitSegments(segs, limit).map((c) => c.map((s) => s.text).join(''))).toEqual(out);
  });

  it('keeps bold runs bold across a split', () => {
    expect(splitSegments([{ text: 'ab' }, { text: 'cdef', bold: true }], 4)).toEqual([[{ text: 'ab' }, { text: 'cd', bold: true }], [{ text: 'ef', bold: true }]]);
  });

  it('escapes exactly & < >', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(`&lt;a href="x"&gt;'&amp;'&lt;/a&gt;`);
  });

  it.each<[string, ReturnType<typeof photoOf>]>([
    ['https://x.test/c.png', { url: 'https://x.test/c.png' }],
    ['data:image/png;base64,iVBORw0KGgo=', { bytes: Buffer.from('iVBORw0KGgo=', 'base64'), filename: 'image.png' }],
    ['data:image/jpeg;base64,/9j/4AAQ', { bytes: Buffer.from('/9j/4AAQ', 'base64'), filename: 'image.jpg' }],
    ['data:text/html;base64,PGI+', null],
    ['javascript:alert(1)', null],
  ])('reads the image %s', (image, photo) => {
    expect(photoOf(image)).toEqual(photo);
  });

  it('captions a photo when the text fits, else sends the text after it', () => {
    expect(render({ text: 'Chart <1>', image: 'https://x.test/c.png' }, key).messages).toEqual([{ text: 'Chart &lt;1&gt;', photo: { url: 'https://x.test/c.png' } }]);
    const long = render({ text: 'y'.repeat(1500), image: 'https://x.test/c.png', buttons: [{ id: 'a.b', label: 'Go', value: '1' }] }, key).messages;
    expect(long.map((m) => [m.photo ? 'photo' : 'text', m.text.length, Boolean(m.reply_markup)])).toEqual([['photo', 0, false], ['text', 1500, true]]);
  });
});
