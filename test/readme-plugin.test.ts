/** The README's plugin test, as written there; the last case keeps the README's code and these files the same. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import hello from './fixtures/plugins/hello/index.js';
import { startTestPlugin } from './helpers/plugin.js';

it('greets a customer by name', async () => {
  const t = await startTestPlugin(hello, { config: { greeting: 'Hi' }, file: { roles: { assign: { 'web:alice': 'rep' } } } });
  await t.say('alice', '/customer add Ann');
  expect((await t.say('alice', '/hello to Ann'))[0]!.text).toBe('Hi, Ann!');
  await t.stop();
});

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

it("runs the README's minimal plugin and its test, not a copy that drifted", () => {
  const section = read('../README.md').split('A minimal plugin')[1]!;
  const [manifest, index, test] = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  // The fixture sits four folders deep where the README's plugin sits two: only the import paths differ.
  const asInReadme = (source: string) => source.replaceAll("'../../../../core/", "'../../core/").replace(/^\/\*\*.*\*\/\n/, '');
  expect(asInReadme(read('fixtures/plugins/hello/manifest.ts'))).toBe(manifest);
  expect(asInReadme(read('fixtures/plugins/hello/index.ts'))).toBe(index);
  const body = test!.slice(test!.indexOf("\nit('"));
  expect(read('readme-plugin.test.ts')).toContain(body);
});
