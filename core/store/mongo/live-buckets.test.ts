import { describe, expect, it } from 'vitest';
import { RECOUNT_MS, roomByTally } from './live-buckets.js';

describe('roomByTally', () => {
  it.each([
    { case: 'no count yet', tally: undefined, now: 5_000, max: 10, room: 'count' },
    { case: 'a fresh count under the bound', tally: { at: 5_000, n: 9 }, now: 5_000 + RECOUNT_MS - 1, max: 10, room: 'room' },
    { case: 'a fresh count at the bound', tally: { at: 5_000, n: 10 }, now: 5_200, max: 10, room: 'full' },
    { case: 'a fresh count over the bound', tally: { at: 5_000, n: 12 }, now: 5_200, max: 10, room: 'full' },
    { case: 'a count as old as RECOUNT_MS', tally: { at: 5_000, n: 10 }, now: 5_000 + RECOUNT_MS, max: 10, room: 'count' },
    { case: 'a count from a later instant (the clock went back)', tally: { at: 5_000, n: 0 }, now: 4_999, max: 10, room: 'count' },
  ] as const)('$case: $room', ({ tally, now, max, room }) => {
    expect(roomByTally(tally, now, max)).toBe(room);
  });
});
