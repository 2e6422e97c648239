import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../core/index.js';
import { say, startTestApp, type TestApp } from './helpers/app.js';

const MAIN = fileURLToPath(new URL('../adapters/main.ts', import.meta.url));

describe('start-up', () => {
  it('says in one line that the port is taken, naming it and PORT', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((ok) => blocker.listen(0, '127.0.0.1', () => ok((blocker.address() as { port: number }).port)));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
        env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', CRM_DATA_DIR: mkdtempSync(join(tmpdir(), 'crm-port-')), LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((ok) => child.on('exit', ok));
      expect(code).toBe(1);
      expect(stderr).toBe(`Port ${port} is already in use (another Chat CRM?). Stop that process or pick another port: PORT=${port + 1} npm start\n`);
    } finally {
      blocker.close();
    }
  }, 60_000);
});

describe('trial personas', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.stop());

  it('offers the four roles, really with those roles, and the demo customers once the demo is loaded', async () => {
    const before = await (await fetch(`${app.url}/web/api/personas`)).json();
    expect(before.personas.map((p: { user: string; role: string }) => `${p.user}:${p.role}`)).toEqual(['admin:admin', 'manager:manager', 'rep:rep', 'customer:customer']);
    await loadDemo(app.engine, 'default', { customers: 60 });
    for (const role of ['admin', 'manager', 'rep', 'customer']) {
      expect((await say(app, role, '/crm whoami'))[0].fields[0]).toEqual({ label: 'Role', value: role });
    }
    const after = await (await fetch(`${app.url}/web/api/personas`)).json();
    const demo = after.personas.slice(4);
    expect(demo.map((p: { user: string; role: string }) => `${p.user}:${p.role}`)).toEqual(['dana:customer', 'wei:customer']);
    // Each demo customer has the history the persona list promises: points, a survey answer, a deal.
    const [points] = await say(app, 'dana', '/points');
    expect(points.text).toMatch(/^You have [1-9]\d* points to spend/);
    const ts = app.engine.store.tenant('default');
    for (const user of ['dana', 'wei']) {
      const link = (await ts.identities.get(`web:${user}`))!;
      expect((await ts.interactions.countByType(link.customerId!)).survey_response).toBeGreaterThan(0);
      expect((await ts.deals.list({ customerId: link.customerId! }, 1)).length).toBe(1);
    }
  }, 120_000);
});
