import { createHash } from 'node:crypto';

/**
 * A small tolerant RSS 2.0 / RSS 1.0 / Atom reader: finds <item>/<entry> blocks and their usual fields
 * with regular expressions, so a feed with odd namespaces or a broken item still yields the rest.
 */

export interface FeedEntry {
  /** guid, id or link; a hash of the content when the feed gives none. */
  key: string;
  title: string;
  link: string | null;
  text: string;
  author: string | null;
  publishedAt: string | null;
}

export type FeedResult = { ok: true; entries: FeedEntry[] } | { ok: false; reason: string };

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', hellip: '…', mdash: '—', ndash: '–',
  rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”', copy: '©', reg: '®', trade: '™', laquo: '«', raquo: '»',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return NAMED[e.toLowerCase()] ?? m;
  });
}

export function stripTags(s: string): string {
  return s.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<!--[\s\S]*?-->/g, ' ').replace(/<[^>]*>/g, ' ');
}

/** Field text: CDATA is raw HTML; otherwise entity-escaped HTML, decoded, stripped, decoded once more. */
function plain(raw: string): string {
  const cdata = /^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/.exec(raw);
  const text = cdata ? decodeEntities(stripTags(cdata[1]!)) : decodeEntities(stripTags(decodeEntities(raw.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1'))));
  // Tags become spaces (block elements separate words); undo the space that lands before punctuation.
  return text.replace(/\s+/g, ' ').replace(/ ([,.;:!?])/g, '$1').trim();
}

/** Inner text of the first <tag> (any namespace prefix) in a block. */
function field(block: string, ...tags: string[]): string | null {
  for (const tag of tags) {
    const m = new RegExp(`<(?:[\\w-]+:)?${tag}\\b[^>]*?(?:/>|>([\\s\\S]*?)</(?:[\\w-]+:)?${tag}\\s*>)`, 'i').exec(block);
    if (m?.[1] !== undefined) {
      const v = plain(m[1]);
      if (v) return v;
    }
  }
  return null;
}

/** Atom puts the link in an attribute: <link rel="alternate" href="..."/>. */
function atomLink(block: string): string | null {
  const links = [...block.matchAll(/<link\b([^>]*)\/?>/gi)].map((m) => m[1]!);
  const attr = (a: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(a)?.[1] ?? null;
  const pick = links.find((a) => (attr(a, 'rel') ?? 'alternate') === 'alternate' && attr(a, 'href')) ?? links.find((a) => attr(a, 'href'));
  return pick ? decodeEntities(attr(pick, 'href')!) : null;
}

function isoDate(s: string | null): string | null {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export function contentKey(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

function entry(block: string): FeedEntry | null {
  const title = field(block, 'title') ?? '';
  const text = field(block, 'description', 'summary', 'content', 'encoded') ?? '';
  if (!title && !text) return null;
  const link = field(block, 'link') ?? atomLink(block);
  const publishedAt = isoDate(field(block, 'pubDate', 'published', 'date', 'updated'));
  // Without guid or link, title plus date name the item, so an edited body is the same item, not a new one.
  const key = field(block, 'guid', 'id') ?? link ?? contentKey(title || text, publishedAt ?? '');
  return {
    key,
    title,
    link: link && /^https?:\/\//i.test(link) ? link : null,
    text,
    author: field(block, 'name', 'creator', 'author'),
    publishedAt,
  };
}

export function parseFeed(body: string): FeedResult {
  const head = body.replace(/^\uFEFF/, '').trimStart().slice(0, 2000).toLowerCase();
  if (/^<!doctype html|^<html[\s>]/.test(head) || (!/<(rss|feed|rdf:rdf)[\s>]/.test(head) && /<(html|body|head)[\s>]/.test(head))) {
    return { ok: false, reason: 'the URL returned an HTML page, not an RSS or Atom feed' };
  }
  if (!/<(rss|feed|rdf:rdf)[\s>]/i.test(body.slice(0, 20_000))) return { ok: false, reason: 'the response is not an RSS or Atom feed (no <rss> or <feed> element)' };
  const root = /<(rss|feed|rdf:rdf)[\s>]/i.exec(body)![1]!;
  if (!new RegExp(`</${root}\\s*>\\s*$`, 'i').test(body.replace(/<!--[\s\S]*?-->/g, '').trimEnd())) {
    return { ok: false, reason: `the feed is cut off (no closing </${root}>); nothing was read from it` };
  }
  const entries: FeedEntry[] = [];
  for (const m of body.matchAll(/<(item|entry)\b[^>]*>([\s\S]*?)<\/\1\s*>/gi)) {
    const e = entry(m[2]!);
    if (e) entries.push(e);
  }
  return { ok: true, entries };
}
