import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../core/index.js';
import { startProcess, startWorkerProcess } from './helpers/process.js';

/**
 * Issue #24 item 1: the web process runs the first fan-out step of a campaign while the worker's minute job
 * works the same campaign, on one SQLite file. Nobody may be lost: everyone invited has a recipient record,
 * gets one invite, and can answer.
 */
describe('survey fan-out with web and worker processes on one store', () => {
  it('a campaign to hundreds sent while both run loses no recipient, and every recipient can answer', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-two-proc-'));
    const configFile = join(dataDir, 'config.json');
    writeFileSync(configFile, JSON.stringify({
      roles: { defaults: { web: 'customer' }, assign: { 'web:mona': 'manager' } },
      rateLimit: { sourcePerMinute: 100_000, commandsPerMinute: 100_000 },
      // Small pages: the two processes take turns page by page instead of one finishing before the other starts.
      plugins: { surveys: { enabled: true, config: { pageSize: 10, maxRecipientsPerTick: 100_000, quietHours: { start: '00:00', end: '00:00' } } } },
    }));
    const env = { CRM_DATA_DIR: dataDir, CRM_CONFIG: configFile };
    const people = Array.from({ length: 1000 }, (_, i) => `p${i}`);
    const web = await startProcess(env, ['--role', 'web']);
    const worker = await startWorkerProcess(env);
    try {
      const post = async (user: string, text: string) =>
        (await (await fetch(`${web.url}/web/api/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, text }) })).json()) as { replies: { text: string }[] };
      for (let i = 0; i < people.length; i += 50) await Promise.all(people.slice(i, i + 50).map((u) => post(u, 'hi')));
      await post('mona', 'hello');

      // Start the campaign just before a minute turns, so the web's first step and the worker's tick overlap.
      while (Date.now() % 60_000 < 59_500) await new Promise((r) => setTimeout(r, 200));
      expect((await post('mona', '/survey send nps to everyone')).replies[0]!.text).toMatch(/S-1/);

      const store = await openStore({ dataDir });
      try {
        const recipients = store.tenant('default').docs<{ id: string; status: string }>('surveys', 'recipients');
        const campaigns = store.tenant('default').docs<{ id: string; status: string }>('surveys', 'campaigns');
        const until = Date.now() + 150_000;
        while ((await campaigns.get('S-1'))?.status !== 'done' && Date.now() < until) await new Promise((r) => setTimeout(r, 500));
        expect((await campaigns.get('S-1'))?.status).toBe('done');
        expect(await recipients.find({ campaignId: 'S-1' }, { limit: 10_000 })).toHaveLength(people.length);
        expect(await store.tenant('default').ledger('surveys', 'counts').balance('S-1:sent')).toBe(people.length);
      } finally {
        await store.close();
      }

      const inboxOf = async (u: string) => (await (await fetch(`${web.url}/web/api/inbox?user=${u}`)).json()).messages as { text: string }[];
      const until = Date.now() + 60_000;
      let counts: number[] = [];
      do {
        if (counts.length) await new Promise((r) => setTimeout(r, 1000));
        counts = [];
        for (let i = 0; i < people.length; i += 50) counts.push(...(await Promise.all(people.slice(i, i + 50).map(async (u) => (await inboxOf(u)).length))));
      } while (counts.some((n) => n === 0) && Date.now() < until);
      expect(counts.every((n) => n === 1)).toBe(true);

      for (let i = 0; i < people.length; i += 50) {
        const replies = await Promise.all(people.slice(i, i + 50).map(async (u) => (await post(u, '/survey answer S-1 9')).replies[0]!.text));
        for (const text of replies) expect(text).toMatch(/^Thanks! We recorded 9 for survey S-1\./);
      }
    } finally {
      web.child.kill('SIGTERM');
      worker.child.kill('SIGTERM');
      expect(await web.exited).toBe(0);
      expect(await worker.exited).toBe(0);
    }
  }, 300_000);
});
