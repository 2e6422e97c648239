import { createHash } from 'node:crypto';
import type { Engine, HttpResponse } from '../../core/index.js';
import { json } from '../../core/index.js';

const KEY = /^[\x21-\x7e]{1,255}$/;
const DAY_MS = 86_400_000;
const WAIT_MS = 10_000;

export function validKey(key: string): boolean {
  return KEY.test(key);
}

/**
 * Runs `run` once per (identity, key): a retry gets the stored answer, a retry that arrives while the
 * first is still running waits for it. Answers that had no effect (429, 503, 5xx) are not kept, so
 * the retry runs for real.
 */
export async function once(engine: Engine, identity: string, key: string, request: string, run: () => Promise<HttpResponse>): Promise<HttpResponse> {
  const repo = engine.store.tenant(engine.tenantFor('web', null)).idempotency;
  const fingerprint = createHash('sha256').update(request).digest('hex');
  const until = Date.now() + WAIT_MS;
  while (Date.now() < until) {
    const now = engine.now();
    const b = await repo.begin(identity, key, fingerprint, now, new Date(Date.parse(now) - DAY_MS).toISOString());
    if (b.state === 'done') return { status: b.status, headers: { 'idempotent-replayed': 'true' }, body: b.body as object };
    if (b.state === 'mismatch') return json(422, { error: 'this Idempotency-Key was already used for a different request; use a new key' });
    if (b.state === 'running') {
      await new Promise((r) => setTimeout(r, 25));
      continue;
    }
    let res: HttpResponse;
    try {
      res = await run();
    } catch (e) {
      await repo.abandon(identity, key).catch(() => {});
      throw e;
    }
    if (res.status < 500 && res.status !== 429) await repo.finish(identity, key, res.status, res.body ?? null);
    else await repo.abandon(identity, key);
    return res;
  }
  return { ...json(409, { error: 'a request with this Idempotency-Key is still running; retry shortly' }), headers: { 'retry-after': '1' } };
}
