/** The README's plugin test, as written there. */
import { expect, it } from 'vitest';
import hello from './fixtures/plugins/hello/index.js';
import { startTestPlugin } from './helpers/plugin.js';

it('greets a customer by name', async () => {
  const t = await startTestPlugin(hello, { config: { greeting: 'Hi' }, file: { roles: { assign: { 'web:alice': 'rep' } } } });
  await t.say('alice', '/customer add Ann');
  expect((await t.say('alice', '/hello to Ann'))[0]!.text).toBe('Hi, Ann!');
  await t.stop();
});
