import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RespondError } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RESPOND_RETRY, ResponseUrls } from './respond.js';

/**
 * A stand-in for Slack's response_url host (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses):
 * each POST is recorded and answered by `reply`, which may hold it. A rate-limited post gets HTTP 429 with Retry-After
 * in seconds (https://docs.slack.dev/apis/web-api/rate-limits).
 */
interface Post { path: string; type: string | undefined; body: Record<string, unknown> }
let reply: (post: Post, res: ServerResponse) => void;
const posts: Post[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const post = { path: req.url!, type: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> };
      posts.push(post);
      reply(post, res);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
afterEach(() => void (posts.length = 0));

const ok = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
const limited = (res: ServerResponse, seconds: string) => res.writeHead(429, { 'retry-after': seconds }).end('rate_limited');
/** Waits for a condition the test cannot be told about (it asserts nothing about how long that takes). */
const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
};

describe('posting answers to a response_url', () => {
  it('posts the message as JSON, and a 429 is waited out for its Retry-After and posted again, once', async () => {
    const waits: number[] = [];
    const urls = new ResponseUrls({ wait: async (ms) => void waits.push(ms) });
    reply = (_, res) => (posts.length === 1 ? limited(res, '2') : ok(res));
    const message = { text: 'Logged a note for Acme', response_type: 'ephemeral' as const, replace_original: false };
    await urls.to(`${base}/commands/T1/1/abc`)(message);
    expect(waits).toEqual([2000]);
    expect(posts).toEqual([
      { path: '/commands/T1/1/abc', type: 'application/json', body: message },
      { path: '/commands/T1/1/abc', type: 'application/json', body: message },
    ]);
    await urls.close();
  });

  it.each([
    ['429 every time', () => '1', RESPOND_RETRY.attempts, [1000, 1000]],
    ['429 asking for longer than it is worth waiting', () => String(RESPOND_RETRY.maxWaitSeconds + 1), 1, []],
    ['429 without Retry-After', () => null, 1, []],
  ])('gives up with a RespondError (status 429) on %s', async (_, seconds, tries, waited) => {
    const waits: number[] = [];
    const urls = new ResponseUrls({ wait: async (ms) => void waits.push(ms) });
    reply = (__, res) => {
      const s = seconds();
      return s === null ? res.writeHead(429).end() : limited(res, s);
    };
    const failed = await urls.to(`${base}/commands/T1/2/def`)({ text: 'x' }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(RespondError);
    expect((failed as RespondError).statusCode).toBe(429);
    expect(posts).toHaveLength(tries);
    expect(waits).toEqual(waited);
    await urls.close();
  });

  it('does not post again when Slack refuses for good (an expired response_url: 404)', async () => {
    const urls = new ResponseUrls({ wait: async () => expect.fail('nothing to wait for') });
    reply = (_, res) => res.writeHead(404).end('expired_url');
    await expect(urls.to(`${base}/commands/T1/3/ghi`)({ text: 'x' })).rejects.toMatchObject({ statusCode: 404 });
    expect(posts).toHaveLength(1);
    await urls.close();
  });

  it('posts at most its cap at once; the rest wait for a connection and all arrive, each once', async () => {
    const cap = 2;
    const urls = new ResponseUrls({ connections: cap });
    const held: ServerResponse[] = [];
    reply = (_, res) => void held.push(res);
    const url = `${base}/commands/T1/4/jkl`;
    const sent = Array.from({ length: 5 }, (_, i) => urls.to(url)({ text: `answer ${i}` }));
    await until(() => held.length === cap && urls.load(url).waiting === 3);
    expect(posts).toHaveLength(cap);
    expect(urls.load(url)).toEqual({ running: cap, waiting: 3 });
    reply = (__, res) => ok(res);
    for (const res of held) ok(res);
    await Promise.all(sent);
    expect(posts.map((p) => p.body.text).sort()).toEqual(['answer 0', 'answer 1', 'answer 2', 'answer 3', 'answer 4']);
    await urls.close();
  });
});
