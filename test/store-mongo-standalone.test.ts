import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMongoStore } from '../core/store/mongo/engine.js';
import { startJongodb } from './store/jongodb-setup.js';

/** A standalone server (jongodb without a replica-set profile answers `hello` without setName) is refused, never used degraded. */
describe('Mongo engine on a standalone server', () => {
  let server: Awaited<ReturnType<typeof startJongodb>>;
  beforeAll(async () => {
    server = await startJongodb([]);
  });
  afterAll(() => server?.stop());

  it('refuses to open, saying how to start a one-node replica set and why', async (ctx) => {
    if (!server) return ctx.skip();
    const url = new URL(server.uri);
    url.searchParams.set('directConnection', 'true');
    await expect(openMongoStore(url.toString())).rejects.toThrow(/standalone server.*transactions.*--replSet rs0.*rs\.initiate\(\)/);
  });
});
