import { Query } from 'mingo';
import { describe, expect, it } from 'vitest';
import { replyMentions } from '../../core/store/mongo/erasure-writes.js';

/** The MongoDB filter that finds outbox messages naming a forgotten person, run by mingo over stored shapes. */
describe('mingo: outbox messages that name a person', () => {
  const docs = [
    { id: 1, tenant: 't', target: 'web:keep', reply: { text: 'Negative mention from Gina Rossi' } },
    { id: 2, tenant: 't', target: 'web:keep', reply: { text: 'alert', fields: [{ label: 'from', value: 'GINA@x.test' }] } },
    { id: 3, tenant: 't', target: 'web:keep', reply: { text: 'hello (a.b)*' } },
    { id: 4, tenant: 'other', target: 'web:keep', reply: { text: 'Gina Rossi' } },
    { id: 5, tenant: 't', target: 'web:keep', reply: { text: 'nothing', fields: [{ label: 'web:gina2', value: 'x' }] } },
  ];
  const hits = (needles: string[]) => new Query(replyMentions('t', needles)).find(docs).all().map((d) => (d as { id: number }).id);

  it('matches text, field values and labels case-insensitively, in the tenant only', () => {
    expect(hits(['gina rossi', 'gina@x.test', 'web:gina2'])).toEqual([1, 2, 5]);
  });

  it('treats a needle as literal text, never a pattern', () => {
    expect(hits(['(a.b)*'])).toEqual([3]);
    expect(hits(['.*'])).toEqual([]);
  });
});
