import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { command, sub, type CommandRegistry, type CommandSpec } from '../core/index.js';
import { commandPayloads } from '../adapters/discord/commands.js';
import { commandLine } from '../adapters/discord/normalize.js';
import { registerCommands } from '../adapters/discord/register.js';
import { createRest } from '../adapters/discord/rest.js';
import { fakeDiscord } from './fixtures/discord/harness.js';

const s = (name: string, usage = '', summary = `${name} it`) =>
  sub({ name, usage, summary, roles: ['admin'], args: z.any(), run: async () => ({ text: '' }) });
const registry = (...specs: CommandSpec[]): CommandRegistry => ({ list: () => specs, get: (n) => specs.find((c) => c.name === n) });

describe('commandPayloads', () => {
  it('makes each core subcommand a Discord subcommand with an optional args string describing its usage', () => {
    expect(commandPayloads(registry(command({ name: 'deal', summary: 'Deals in the pipeline', subcommands: [s('add', '<customer> <amount>'), s('list')] })))).toEqual([{
      type: 1, name: 'deal', description: 'Deals in the pipeline',
      options: [
        { type: 1, name: 'add', description: 'add it', options: [{ type: 3, name: 'args', description: '<customer> <amount>', required: false }] },
        { type: 1, name: 'list', description: 'list it', options: [] },
      ],
    }]);
  });

  const limits: [string, CommandSpec, (p: ReturnType<typeof commandPayloads>[number]) => void][] = [
    ['descriptions cut at 100', command({ name: 'x', summary: 'd'.repeat(150), subcommands: [s('a', 'u'.repeat(150), 's'.repeat(150))] }), (p) => {
      expect(p.description).toHaveLength(100);
      expect(p.options[0]!.description).toHaveLength(100);
      expect((p.options[0] as { options: { description: string }[] }).options[0]!.description).toHaveLength(100);
    }],
    ['at most 25 subcommands', command({ name: 'x', summary: 'x', subcommands: Array.from({ length: 30 }, (_, i) => s(`s${i}`)) }), (p) => expect(p.options).toHaveLength(25)],
    ['names lower case, at most 32', command({ name: 'x', summary: 'x', subcommands: [s(`Long${'n'.repeat(40)}`)] }), (p) => expect(p.options[0]!.name).toBe(`long${'n'.repeat(28)}`)],
    ['an empty summary falls back to the name', command({ name: 'x', summary: ' ', subcommands: [s('a', '', '')] }), (p) => {
      expect(p.description).toBe('/x');
      expect(p.options[0]!.description).toBe('a');
    }],
    ['a command without subcommands takes args directly', command({ name: 'x', summary: 'x', subcommands: [] }), (p) => expect(p.options).toEqual([{ type: 3, name: 'args', description: 'arguments', required: false }])],
  ];
  it.each(limits)('%s', (_name, spec, check) => check(commandPayloads(registry(spec))[0]!));
});

describe('commandLine', () => {
  it.each([
    [{ name: 'crm', options: [{ name: 'whoami', type: 1, options: [] }] }, { name: 'crm', args: 'whoami' }],
    [{ name: 'deal', options: [{ name: 'add', type: 1, options: [{ name: 'args', type: 3, value: ' Acme 1200 ' }] }] }, { name: 'deal', args: 'add Acme 1200' }],
    [{ name: 'x', options: [{ name: 'g', type: 2, options: [{ name: 's', type: 1, options: [{ name: 'n', type: 4, value: 3 }] }] }] }, { name: 'x', args: 'g s 3' }],
    [{ name: 'Points' }, { name: 'points', args: '' }],
  ])('%j -> %j', (data, want) => expect(commandLine(data)).toEqual(want));
});

describe('registerCommands', () => {
  it('PUTs the payloads to the guild when a guild id is given, else globally, with the bot token', async () => {
    const fake = await fakeDiscord();
    try {
      const rest = createRest(fake.apiUrl, 'bot-token');
      const payloads = commandPayloads(registry(command({ name: 'crm', summary: 'CRM', subcommands: [s('whoami')] })));
      expect(await registerCommands(rest, '1100000000000000001', '1300000000000000001', payloads)).toMatchObject({ where: 'guild 1300000000000000001' });
      expect(await registerCommands(rest, '1100000000000000001', undefined, payloads)).toMatchObject({ where: 'global' });
      expect(fake.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
        ['PUT', '/api/v10/applications/1100000000000000001/guilds/1300000000000000001/commands', 'Bot bot-token'],
        ['PUT', '/api/v10/applications/1100000000000000001/commands', 'Bot bot-token'],
      ]);
      expect(fake.requests[0]!.json).toEqual(payloads);
      fake.on(() => ({ status: 400, json: { code: 50035, message: 'Invalid Form Body' } }));
      await expect(registerCommands(rest, '1100000000000000001', undefined, payloads)).rejects.toThrow(/refused the commands \(400\)/);
    } finally {
      await fake.close();
    }
  });
});

describe('npm run discord:register', () => {
  it('loads the real registry and uploads it to DISCORD_API_URL', async () => {
    const fake = await fakeDiscord();
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'adapters/discord/register.ts'], {
        env: {
          PATH: process.env.PATH, CRM_DATA_DIR: mkdtempSync(join(tmpdir(), 'crm-discord-register-')),
          DISCORD_APP_ID: '1100000000000000001', DISCORD_PUBLIC_KEY: 'ab'.repeat(32), DISCORD_BOT_TOKEN: 'bot-token', DISCORD_API_URL: fake.apiUrl,
        },
      });
      expect(stdout).toMatch(/^Registered \d+ commands \(.*\/crm.*\) global\.$/m);
      const [put] = fake.requests;
      expect([put!.method, put!.path]).toEqual(['PUT', '/api/v10/applications/1100000000000000001/commands']);
      const crm = put!.json.find((c: { name: string }) => c.name === 'crm');
      expect(crm.options.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(['help', 'whoami', 'role', 'link', 'export', 'forget']));
    } finally {
      await fake.close();
    }
  });
});
