import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSource, urlProblem } from './fetch.js';

/** A local fake feed server with one route per failure mode. */
let server: Server;
let base: string;
const open = new Set<import('node:http').ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    switch (req.url) {
      case '/feed':
        if (req.headers['if-none-match'] === '"v1"') {
          res.writeHead(304).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"', 'last-modified': 'Mon, 02 Mar 2026 09:00:00 GMT' }).end('<rss><channel></channel></rss>');
        return;
      case '/slow-headers':
        return; // never answers
      case '/endless':
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.write('<rss><channel>');
        return; // body never ends
      case '/huge': {
        res.writeHead(200, { 'content-type': 'application/xml' });
        const chunk = 'x'.repeat(64 * 1024);
        const pump = () => {
          while (res.write(chunk)) if (res.writableLength > 4e6) break;
        };
        res.on('drain', pump);
        pump();
        return;
      }
      case '/declared-huge':
        res.writeHead(200, { 'content-length': String(5_000_000) });
        res.write('x');
        return;
      default:
        res.writeHead(500).end('boom');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const r of open) r.destroy();
  await new Promise((r) => server.close(r));
});

const limits = { timeoutMs: 300, maxBytes: 1_000_000 };
const none = { etag: null, lastModified: null };

describe('fetchSource', () => {
  it('returns the body with its validators, then 304 on a conditional GET', async () => {
    const first = await fetchSource(`${base}/feed`, none, limits);
    expect(first).toEqual({ kind: 'ok', body: '<rss><channel></channel></rss>', contentType: 'application/rss+xml', validators: { etag: '"v1"', lastModified: 'Mon, 02 Mar 2026 09:00:00 GMT' } });
    expect(await fetchSource(`${base}/feed`, { etag: '"v1"', lastModified: null }, limits)).toEqual({ kind: 'not-modified' });
  });

  it('gives up on a server that never answers, or whose body never ends', async () => {
    expect(await fetchSource(`${base}/slow-headers`, none, limits)).toEqual({ kind: 'skipped', reason: 'no complete answer within 0.3 s' });
    expect(await fetchSource(`${base}/endless`, none, limits)).toEqual({ kind: 'skipped', reason: 'no complete answer within 0.3 s' });
  });

  it('stops reading past the size limit, streamed or declared', async () => {
    const big = { timeoutMs: 10_000, maxBytes: 1_000_000 };
    expect(await fetchSource(`${base}/huge`, none, big)).toEqual({ kind: 'skipped', reason: 'response grew over the 1000000-byte limit; stopped reading' });
    expect(await fetchSource(`${base}/declared-huge`, none, big)).toEqual({ kind: 'skipped', reason: 'response of 5000000 bytes is over the 1000000-byte limit' });
  });

  it('reports HTTP errors and refuses non-http URLs', async () => {
    expect(await fetchSource(`${base}/missing`, none, limits)).toEqual({ kind: 'skipped', reason: 'HTTP 500' });
    expect(await fetchSource('file:///etc/passwd', none, limits)).toEqual({ kind: 'skipped', reason: 'only http and https URLs can be polled, not file:' });
  });

  it.each([
    ['https://example.com/feed.xml', null],
    ['ftp://example.com/feed', 'only http and https URLs can be polled, not ftp:'],
    ['javascript:alert(1)', 'only http and https URLs can be polled, not javascript:'],
    ['not a url', '"not a url" is not a URL (write it like https://example.com/feed.xml)'],
    ['https://u:p@example.com/', 'URLs with a user name or password are not accepted'],
  ])('urlProblem(%s)', (url, problem) => {
    expect(urlProblem(url)).toBe(problem);
  });
});
