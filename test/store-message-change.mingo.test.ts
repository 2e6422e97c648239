import { Aggregator } from 'mingo';
import { describe, expect, it } from 'vitest';
import { messageChangeFilter, messageChangeUpdate } from '../core/store/mongo/message-change.js';

/** The Mongo edit update is an aggregation pipeline; mingo evaluates it the way MongoDB would, without a server. */
function apply(docs: Record<string, unknown>[], messageId: string, update: ReturnType<typeof messageChangeUpdate>) {
  const hit = new Aggregator([{ $match: messageChangeFilter('t1', messageId) }]).run(docs).map((d) => d.id);
  const changed = new Aggregator(update as never[]).run(docs.filter((d) => hit.includes(d.id)));
  return docs.map((d) => changed.find((c) => c.id === d.id) ?? d);
}

describe('mingo: the Mongo message-change update', () => {
  const base = [
    { tenant: 't1', id: 1, messageId: 'slack:C1:1.1', text: 'first' },
    { tenant: 't2', id: 2, messageId: 'slack:C1:1.1', text: 'other tenant' },
    { tenant: 't1', id: 3, messageId: 'slack:C1:2.2', text: 'gone', deleted: true },
  ];

  it('replaces the text, keeps the previous one in edits, and reads "$"-text as text', () => {
    let docs = apply(base, 'slack:C1:1.1', messageChangeUpdate({ kind: 'changed', text: '$text', at: 'A' }));
    docs = apply(docs, 'slack:C1:1.1', messageChangeUpdate({ kind: 'changed', text: 'third', at: 'B' }));
    expect(docs[0]).toMatchObject({ text: 'third', edits: [{ text: 'first', at: 'A' }, { text: '$text', at: 'B' }] });
    expect(docs[1]).toEqual(base[1]);
  });

  it('blanks a deleted message and leaves an already deleted one alone', () => {
    const docs = apply(base, 'slack:C1:1.1', messageChangeUpdate({ kind: 'deleted', at: 'A' }));
    expect(docs[0]).toMatchObject({ text: '', edits: [], deleted: true });
    expect(apply(base, 'slack:C1:2.2', messageChangeUpdate({ kind: 'changed', text: 'again', at: 'A' }))[2]).toEqual(base[2]);
  });
});
