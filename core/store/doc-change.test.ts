import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changeDoc } from './doc-change.js';
import { openSqliteStore } from './sqlite/engine.js';

describe('changeDoc: read-modify-write that loses nothing to other writers', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'crm-docchange-')), 'crm.sqlite');
  const stores = [openSqliteStore(file), openSqliteStore(file)];
  afterAll(async () => {
    for (const s of stores) await s.close();
  });
  const docs = (i: number) => stores[i]!.tenant('acme').docs<{ id: string; seen: string[]; state: string }>('p', 'c');

  it('keeps every change when two store handles on one file change the same document at once', async () => {
    await docs(0).put({ id: 'a', seen: [], state: 'open' });
    // All twenty read the same version first; each one that loses reads again and adds its name to the new list.
    const written = await Promise.all(Array.from({ length: 20 }, (_, i) => changeDoc(docs(i % 2), 'a', (d) => ({ seen: [...d.seen, `w${i}`] }))));
    expect(written.every((w) => w !== null)).toBe(true);
    expect((await docs(1).get('a'))!.seen.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `w${i}`).sort());
    expect((await docs(0).getVersioned('a'))!.version).toBe(21);
  });

  it('lets exactly one of several writers take a state they all saw, and writes nothing for a missing document', async () => {
    await docs(0).put({ id: 'b', seen: [], state: 'pending' });
    const takes = await Promise.all(['x', 'y', 'z'].map((who, i) => changeDoc(docs(i % 2), 'b', (d) => (d.state === 'pending' ? { state: `taken by ${who}` } : null))));
    expect(takes.filter((t) => t !== null)).toHaveLength(1);
    expect((await docs(0).get('b'))!.state).toBe(takes.find((t) => t !== null)!.state);
    expect(await changeDoc(docs(0), 'nope', () => ({ state: 'x' }))).toBeNull();
    expect(await docs(0).get('nope')).toBeNull();
  });
});
