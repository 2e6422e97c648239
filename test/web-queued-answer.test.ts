import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queueGate } from './helpers/queue-gate.js';
import { startTestApp, web, type TestApp } from './helpers/app.js';

/** With this many requests ahead (the ingress's inlineAhead), a web request is answered 202 and its answer goes to the inbox. */
const INLINE_AHEAD = 64;

describe('a web chat request queued behind others', () => {
  let app: TestApp;
  let gate: ReturnType<typeof queueGate>;

  beforeAll(async () => {
    app = await startTestApp();
    gate = queueGate(app, (k, round) => ({ platform: 'web', actor: { identity: `web:filler${round}x${k}`, displayName: `filler ${k}` }, channel: 'web' }));
  });
  afterAll(async () => {
    await gate?.release();
    await app?.stop();
  });

  it('is answered 202 at once, and its answer reaches the inbox from where it is handled, not from the request', async () => {
    await gate.ahead(INLINE_AHEAD);
    const sends = vi.spyOn(app.engine.outbox, 'send');
    const handled = vi.spyOn(app.engine, 'processAdmitted');
    const r = await web(app, '/web/api/message', { user: 'ann', text: '/crm whoami' });
    expect(r).toEqual({ status: 202, json: { replies: [], queued: true } });
    // The request's own handler is done, and nothing was sent for it: the answer waits for its turn.
    expect(sends).not.toHaveBeenCalled();
    await gate.release();
    let inbox: { text: string }[] = [];
    for (let i = 0; i < 200 && !inbox.some((m) => m.text.startsWith('You are ann')); i++) {
      await new Promise((ok) => setTimeout(ok, 25));
      inbox = ((await (await fetch(`${app.url}/web/api/inbox?user=ann`)).json()) as { messages: { text: string }[] }).messages;
    }
    expect(inbox.map((m) => m.text)).toEqual([expect.stringMatching(/^You are ann \(web:ann\)/)]);
    expect(sends.mock.calls.map(([, m]) => m.idempotencyKey)).toEqual([expect.stringMatching(/^web:[0-9a-f-]{36}:0$/)]);
    // Handed over with the inbox as its answer address, which the web adapter answers at where the event is handled.
    expect(handled.mock.calls.filter(([ev]) => ev.actor.identity === 'web:ann').map(([ev]) => ev.answer)).toEqual([{ to: 'inbox' }]);
  });
});
