import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startProcess } from './helpers/process.js';

/** Issue #23 item 5: the limiter's buckets live in the store, so N web processes allow the configured rate, not N times it. */
describe('two web processes on one SQLite file', () => {
  it('share one rate limit: the sum admitted across both equals the configured limit', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-two-limits-'));
    const configFile = join(dataDir, 'config.json');
    const perMinute = 5;
    writeFileSync(configFile, JSON.stringify({ rateLimit: { commandsPerMinute: perMinute, sourcePerMinute: 10_000 } }));
    const env = { CRM_DATA_DIR: dataDir, CRM_CONFIG: configFile };
    // One after the other: the first creates the schema.
    const one = await startProcess(env, ['--role', 'web']);
    const two = await startProcess(env, ['--role', 'web']);
    try {
      const post = async (url: string) =>
        (await fetch(`${url}/web/api/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'flood', text: '/crm whoami' }) })).status;
      const started = Date.now();
      const statuses = await Promise.all(Array.from({ length: 4 * perMinute }, (_, i) => post(i % 2 ? one.url : two.url)));
      const elapsed = Date.now() - started;
      expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
      const admitted = statuses.filter((s) => s === 200).length;
      // The bucket refills one token every 12 s; the burst takes well under that, so the sum is the limit exactly
      // (a machine stalled for longer may have refilled a token per 12 s, never more).
      expect(admitted).toBeGreaterThanOrEqual(perMinute);
      expect(admitted).toBeLessThanOrEqual(perMinute + Math.floor((elapsed * perMinute) / 60_000));
      // Each process took half the requests, more than the whole budget: each refused some, spending from the same bucket.
      for (const side of [0, 1]) expect(statuses.filter((s, i) => i % 2 === side && s === 429).length).toBeGreaterThan(0);
    } finally {
      one.child.kill('SIGTERM');
      two.child.kill('SIGTERM');
      await Promise.all([one.exited, two.exited]);
    }
  }, 120_000);
});
