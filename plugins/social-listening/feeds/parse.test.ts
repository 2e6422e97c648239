import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePath, pick, selectTexts } from './json-path.js';
import { decodeEntities, parseFeed } from './parse.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/social-listening/${name}`, import.meta.url), 'utf8');

describe('parseFeed', () => {
  it('reads RSS 2.0 items: entities, CDATA, tags stripped, guid, date, creator; skips empty items', () => {
    const r = parseFeed(fixture('rss2.xml'));
    if (!r.ok) throw new Error(r.reason);
    expect(r.entries).toHaveLength(3);
    expect(r.entries[0]).toEqual({
      key: 'news-1001', title: 'Acme launches a new widget', link: 'https://news.example.com/acme-widget',
      text: 'Acme’s widget is really good & cheap.', author: 'Jane Writer', publishedAt: '2026-03-02T09:30:00.000Z',
    });
    expect(r.entries[1]).toMatchObject({ key: 'https://news.example.com/acme-outage', title: 'Users report Acme outage', text: 'The Acme app was down for hours & support was slow.' });
    expect(r.entries[2]!.key).toMatch(/^[0-9a-f]{16}$/);
    expect(r.entries[2]!.text).toBe('Just a note about 阿克米.');
  });

  it('reads Atom entries: alternate link, id, updated, author name, html summary, xhtml content', () => {
    const r = parseFeed(fixture('atom.xml'));
    if (!r.ok) throw new Error(r.reason);
    expect(r.entries).toEqual([
      { key: 'tag:blog.example.org,2026:1', title: 'Why I switched to Acme', link: 'https://blog.example.org/switch-to-acme', text: 'Acme is great, honestly.', author: 'Sam Blogger', publishedAt: '2026-03-01T12:00:00.000Z' },
      { key: 'tag:blog.example.org,2026:2', title: 'Second post', link: 'https://blog.example.org/second', text: 'Acme support — terrible.', author: null, publishedAt: null },
    ]);
  });

  it('refuses an HTML page served instead of a feed, and junk', () => {
    expect(parseFeed(fixture('html-page.html'))).toEqual({ ok: false, reason: 'the URL returned an HTML page, not an RSS or Atom feed' });
    expect(parseFeed(fixture('junk.bin'))).toEqual({ ok: false, reason: 'the response is not an RSS or Atom feed (no <rss> or <feed> element)' });
    expect(parseFeed('')).toMatchObject({ ok: false });
  });

  it('refuses a truncated feed as a whole: a cut-off response is an error on the source, not a short feed', () => {
    const cut = fixture('rss2.xml').slice(0, fixture('rss2.xml').indexOf('<title><![CDATA[Users'));
    expect(parseFeed(cut)).toEqual({ ok: false, reason: 'the feed is cut off (no closing </rss>); nothing was read from it' });
    const atom = fixture('atom.xml');
    expect(parseFeed(atom.slice(0, atom.lastIndexOf('</feed>')))).toMatchObject({ ok: false, reason: expect.stringMatching(/no closing <\/feed>/) });
    expect(parseFeed(`${atom}\n<!-- generated -->\n`)).toMatchObject({ ok: true });
  });

  it('keys an item without guid or link by its title and date, so an edited body is the same item', () => {
    const feed = (body: string, date = 'Mon, 02 Mar 2026 09:30:00 GMT') =>
      `<rss version="2.0"><channel><item><title>Acme price change</title><pubDate>${date}</pubDate><description>${body}</description></item></channel></rss>`;
    const key = (xml: string) => {
      const r = parseFeed(xml);
      if (!r.ok) throw new Error(r.reason);
      return r.entries[0]!.key;
    };
    expect(key(feed('Prices go up.'))).toBe(key(feed('Prices go up 5% (updated with a quote).')));
    expect(key(feed('Prices go up.'))).not.toBe(key(feed('Prices go up.', 'Tue, 03 Mar 2026 09:30:00 GMT')));
  });

  it.each([
    ['&amp;lt;', '&lt;'],
    ['&#20013;&#x6587;', '中文'],
    ['&bogus; &#0;', '&bogus; &#0;'],
  ])('decodes %s', (input, out) => {
    expect(decodeEntities(input)).toBe(out);
  });
});

describe('json path', () => {
  const doc = { data: { posts: [{ id: 7, body: 'Acme rocks', url: 'https://x.test/7', user: { name: 'kim' } }, { id: 8, body: 'meh' }, { id: 9 }] } };

  it.each([
    ['$.data.posts[*].body', ['Acme rocks', 'meh']],
    ['data.posts[].body', ['Acme rocks', 'meh']],
    ['data.posts[1].body', ['meh']],
    ['data.nothing[*].body', []],
  ])('%s', (path, texts) => {
    expect(selectTexts(doc, parsePath(path)!).map((e) => e.text)).toEqual(texts);
  });

  it('keeps the array element for id, link and author', () => {
    const [first] = selectTexts(doc, parsePath('data.posts[*].body')!);
    expect(pick(first!.item, 'id')).toBe('7');
    expect(pick(first!.item, 'url', 'link')).toBe('https://x.test/7');
    expect(pick(first!.item, 'author', 'user')).toBe('kim');
  });

  it('works on a top-level array and refuses malformed paths', () => {
    expect(selectTexts([{ t: 'a' }, { t: 'b' }], parsePath('[*].t')!).map((e) => e.text)).toEqual(['a', 'b']);
    expect(parsePath('data..x')).toBeNull();
    expect(parsePath('')).toBeNull();
    expect(parsePath('a[x]')).toBeNull();
  });
});
