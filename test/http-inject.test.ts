import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';

/** The HTTP surface answered without a socket: same routes, same handlers, no port needed. */
describe('HttpServer.inject', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({}, { plugins: {} });
  });
  afterAll(() => app.stop());

  it('answers a route as a real request would, and 404 for an unknown one', async () => {
    const health = await app.http!.inject({ method: 'GET', url: '/healthz' });
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', store: 'sqlite', plugins: [] } });
    expect(await app.http!.inject({ method: 'GET', url: '/nowhere' })).toEqual({ status: 404, body: { error: 'no route GET /nowhere' } });
  });

  it('carries a JSON body to the web chat and returns its replies', async () => {
    const r = await app.http!.inject({ method: 'POST', url: '/web/api/message', body: { user: 'alice', text: '/customer add Ann' } });
    expect(r.status).toBe(200);
    expect((r.body as { replies: { text: string }[] }).replies[0]!.text).toMatch(/^Added C-1 Ann/);
  });
});
