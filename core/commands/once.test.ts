import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../chat/reply.js';
import type { Store } from '../store/port.js';
import { openSqliteStore } from '../store/sqlite/engine.js';
import { commandEventKey, commandOnce } from './once.js';

const NOW = '2026-06-30T12:00:00.000Z';
const DAY_LATER = '2026-07-01T12:00:00.001Z';
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

function repo() {
  const store = openSqliteStore(':memory:');
  stores.push(store);
  return store.tenant('t1').idempotency;
}

/** A command that counts its runs and answers with the count. */
function counted() {
  let runs = 0;
  return { run: async (): Promise<Reply[]> => [{ text: `run ${++runs}` }], runs: () => runs };
}

describe('commandOnce', () => {
  it('runs a new event once; a second delivery runs nothing and answers nothing (answers are not kept)', async () => {
    const r = repo();
    const c = counted();
    expect(await commandOnce(r, 'web:e1', NOW, c.run)).toEqual([{ text: 'run 1' }]);
    expect(await commandOnce(r, 'web:e1', NOW, c.run)).toEqual([]);
    expect(await commandOnce(r, 'web:e2', NOW, c.run)).toEqual([{ text: 'run 2' }]);
    expect(c.runs()).toBe(2);
  });

  it('runs again an event whose first run began and never finished (its process died inside it)', async () => {
    const r = repo();
    let inside!: () => void;
    const died = new Promise<void>((ok) => (inside = ok));
    void commandOnce(r, 'web:e1', NOW, () => (inside(), new Promise<Reply[]>(() => {})));
    await died;
    const c = counted();
    expect(await commandOnce(r, 'web:e1', NOW, c.run)).toEqual([{ text: 'run 1' }]);
    expect(await commandOnce(r, 'web:e1', NOW, c.run)).toEqual([]);
  });

  it('keeps nothing for a run that threw, so a later delivery runs it', async () => {
    const r = repo();
    await expect(commandOnce(r, 'web:e1', NOW, async () => {
      throw new Error('store down');
    })).rejects.toThrow('store down');
    const c = counted();
    expect(await commandOnce(r, 'web:e1', NOW, c.run)).toEqual([{ text: 'run 1' }]);
  });

  it('remembers an event for a day, as long as its dedupe mark', async () => {
    const r = repo();
    const c = counted();
    await commandOnce(r, 'web:e1', NOW, c.run);
    expect(await commandOnce(r, 'web:e1', DAY_LATER, c.run)).toEqual([{ text: 'run 2' }]);
  });

  it('keeps its key apart from any Idempotency-Key a web client may send', () => {
    expect(commandEventKey('web:e1')).toMatch(/\s/);
  });
});
