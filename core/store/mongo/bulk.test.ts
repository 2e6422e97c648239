import { describe, expect, it } from 'vitest';
import { maxId } from './bulk.js';

describe('bulk import counter', () => {
  it('finds the largest id of a book far past the size where spreading ids overflows the stack', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ id: (i * 7919) % 200_003 }));
    expect(() => Math.max(...rows.map((r) => r.id))).toThrow(RangeError);
    expect(maxId(rows)).toBe(rows.reduce((m, r) => (r.id > m ? r.id : m), 0));
  });

  it.each([
    [[], 0],
    [[{ id: 3 }], 3],
    [[{ id: 2 }, { id: 9 }, { id: 4 }], 9],
  ])('max of %j is %i', (rows, max) => {
    expect(maxId(rows)).toBe(max);
  });
});
