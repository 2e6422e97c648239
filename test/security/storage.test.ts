import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../core/index.js';
import { dataDirProblem, MIN_FREE_BYTES } from '../../core/store/data-dir.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { postJson } from './http.js';

/** Write methods of the store port: with the switch on they fail the way SQLite does on a full disk. */
const WRITES = /^(create|add|touch|set|attach|update|merge|unmerge|anonymise|moveStage|open|close|record|enqueue|put|insertIfAbsent|delete|deleteWhere|append|eraseAccount|import|firstSeen|claimTick|claim|mark|retryAt|postpone|release|begin|finish|abandon|prune|pruneSeen|useInvite|addInvite|addSession|endSession|endSessions|eraseIdentity|probeWrite|increment|updateIfPresent)$/;

function failingWrites(store: Store, failing: () => boolean): Store {
  const full = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  const wrap = <T extends object>(target: T, depth: number): T => new Proxy(target, {
    get(t, prop, recv) {
      const v = Reflect.get(t, prop, recv);
      if (typeof v === 'function') {
        return (...args: unknown[]) => {
          if (failing() && typeof prop === 'string' && WRITES.test(prop) && !(depth === 0 && prop === 'close')) return Promise.reject(full());
          const out = v.apply(t, args);
          return depth < 2 && out && typeof out === 'object' && !(out instanceof Promise) ? wrap(out, depth + 1) : out;
        };
      }
      return v && typeof v === 'object' && depth < 3 ? wrap(v, depth + 1) : v;
    },
  });
  return wrap(store, 0);
}

describe('a store that cannot write', () => {
  let app: TestApp;
  let full = false;
  beforeAll(async () => {
    app = await startTestApp({}, undefined, undefined, undefined, (s) => failingWrites(s, () => full));
  });
  afterAll(() => app.stop());

  it('is said plainly: commands are not acknowledged, /healthz is degraded, and service resumes by itself', async () => {
    expect((await postJson(app, '/web/api/message', { user: 'ann', text: '/customer add Before' })).status).toBe(200);
    full = true;

    const refused = await postJson(app, '/web/api/message', { user: 'ann', text: '/customer add During' });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json.error).toMatch(/^not done: the store cannot write: database or disk is full \(SQLITE_FULL\)/);
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/SQLITE_FULL/) });

    // A chat gets a reply that says nothing was done, never a confirmation.
    const chat = await app.engine.handle({ platform: 'telegram', scope: null, actor: { identity: 'telegram:1', displayName: 'T' }, channel: '1', eventId: 'u-1', text: '/customer add ViaChat' });
    expect(chat).toEqual([{ text: expect.stringMatching(/^Not done: the store cannot write: .*Nothing was saved/) }]);

    full = false;
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await fetch(`${app.url}/healthz`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
    const again = await postJson(app, '/web/api/message', { user: 'ann', text: '/customer add After' });
    expect(again.json.replies[0].text).toMatch(/After/);
    const names = (await app.engine.store.tenant('default').customers.page(0, 10)).map((c) => c.name);
    expect(names).toEqual(['Before', 'After']);
  });
});

describe('an unusable CRM_DATA_DIR at start-up', () => {
  it('stops with one line naming the variable and the path, exit code 2, no stack trace', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'crm-notdir-')), 'a-file');
    writeFileSync(file, 'not a directory');
    const dataDir = join(file, 'data');
    const main = fileURLToPath(new URL('../../adapters/main.ts', import.meta.url));
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((ok) => {
      const child = execFile(process.execPath, ['--import', 'tsx', main], { env: { ...process.env, CRM_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' } }, (_e, _out, err) => ok({ code: child.exitCode, stderr: err }));
    });
    expect(code).toBe(2);
    expect(stderr).toContain(`CRM_DATA_DIR ${dataDir}: cannot write there (ENOTDIR`);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it.each([
    ['writable with room', { bavail: 10_000, bsize: 4096 }, null, null],
    ['full', { bavail: 10, bsize: 4096 }, null, /the disk is full \(40 KiB free/],
    ['read-only', null, Object.assign(new Error('EROFS: read-only file system, open \'/x\''), { code: 'EROFS' }), /cannot write there \(EROFS: read-only file system/],
    ['not permitted', null, Object.assign(new Error('EACCES: permission denied, open \'/x\''), { code: 'EACCES' }), /cannot write there \(EACCES: permission denied\)/],
  ])('%s', (_, free, err, want) => {
    const problem = dataDirProblem(free, err as NodeJS.ErrnoException | null);
    if (want === null) expect(problem).toBeNull();
    else expect(problem).toMatch(want);
    expect(MIN_FREE_BYTES).toBeGreaterThan(40 * 1024);
  });
});
