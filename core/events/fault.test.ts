import { describe, expect, it } from 'vitest';
import { crashAfterCommitArmed } from './fault.js';
import { backoffAfter } from './dispatcher.js';

describe('crash-after-commit fault switch', () => {
  it.each([
    [{}, false],
    [{ CRM_FAULT_CRASH_AFTER_COMMIT: '1' }, false],
    [{ CRM_FAULT_CRASH_AFTER_COMMIT: '1', NODE_ENV: 'production' }, false],
    [{ CRM_FAULT_CRASH_AFTER_COMMIT: '1', NODE_ENV: 'test' }, true],
    [{ CRM_FAULT_CRASH_AFTER_COMMIT: '0', NODE_ENV: 'test' }, false],
    [{ CRM_FAULT_CRASH_AFTER_COMMIT: 'always', NODE_ENV: 'production' }, true],
  ])('%j -> %s', (env, armed) => expect(crashAfterCommitArmed(env)).toBe(armed));
});

describe('retry backoff', () => {
  it.each([
    [1, 1000], [2, 2000], [3, 4000], [10, 60_000],
  ])('after %i failed attempts waits %i ms (1 s doubling, capped at 60 s)', (attempts, ms) => expect(backoffAfter(attempts, 1000, 60_000)).toBe(ms));
});
