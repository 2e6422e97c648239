import { describe, expect, it } from 'vitest';
import { replicaSetProblem } from './replica-set.js';

// `hello` replies as documented at https://www.mongodb.com/docs/manual/reference/command/hello/.
describe('replica set requirement', () => {
  it.each([
    ['a replica set member', { isWritablePrimary: true, setName: 'rs0', hosts: ['db:27017'] }, false],
    ['mongos in front of a sharded cluster', { isWritablePrimary: true, msg: 'isdbgrid' }, false],
    ['a standalone server', { isWritablePrimary: true, maxWireVersion: 21 }, true],
  ])('%s', (_label, hello, refused) => {
    const problem = replicaSetProblem(hello);
    expect(problem !== null).toBe(refused);
    if (problem) expect(problem).toMatch(/--replSet rs0.*rs\.initiate\(\).*replicaSet=rs0/);
  });
});
