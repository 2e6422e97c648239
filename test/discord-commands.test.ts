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
import { createRest } from '../adapters/discord/api.js';
import { fakeDiscord } from './fixtures/discord/harness.js';

const s = (name: string, usage = '', summary = `${name} it`) =>
  sub({ name, usage, summary, roles: ['admin'], args: z.any(), run: async () => ({ text: '' }) });
const registry = (...specs: CommandSpec[]): CommandRegistry => ({ list: () => specs, get: (n) => specs.find((c) => c.name === n) });

describe('commandPayloads', () => {
  it('makes each core subcommand a Discord subcommand with typed options read from its usage, usable in servers and DMs', () => {
    const spec = command({ name: 'deal', summary: 'Deals in the pipeline', subcommands: [s('add', '<customer> <amount> [currency] [stage:<stage>]'), s('list'), s('won', '<id>')] });
    expect(commandPayloads(registry(spec))).toEqual([{
      type: 1, name: 'deal', description: 'Deals in the pipeline',
      options: [
        { type: 1, name: 'add', description: 'add it', options: [
          { type: 3, name: 'customer', description: '<customer>', required: true, autocomplete: true },
          { type: 10, name: 'amount', description: '<amount>', required: true, min_value: 0 },
          { type: 3, name: 'currency', description: '[currency]', required: false },
          { type: 3, name: 'stage', description: '[stage:<stage>]', required: false },
        ] },
        { type: 1, name: 'list', description: 'list it', options: [] },
        { type: 1, name: 'won', description: 'won it', options: [{ type: 3, name: 'deal', description: '<id>', required: true, autocomplete: true }] },
      ],
      // Every subcommand is admin-only in this registry: hidden from members until a server admin allows a role.
      default_member_permissions: '0',
      contexts: [0, 1],
      integration_types: [0],
    }]);
  });

  it('types USER, INTEGER and STRING-with-choices options, and leaves commands open to customers without permissions', () => {
    const open = sub({ name: 'role', usage: '<identity> <admin|manager|rep|customer> <points> [today|week|month]', summary: 'r', roles: ['admin', 'customer'], args: z.any(), run: async () => ({ text: '' }) });
    const [p] = commandPayloads(registry(command({ name: 'crm', summary: 'CRM', subcommands: [open] })));
    expect(p!.default_member_permissions).toBeUndefined();
    expect((p!.options[0] as { options: unknown[] }).options).toEqual([
      { type: 6, name: 'identity', description: '<identity>', required: true },
      { type: 3, name: 'admin_manager_rep_customer', description: '<admin|manager|rep|customer>', required: true, choices: ['admin', 'manager', 'rep', 'customer'].map((c) => ({ name: c, value: c })) },
      { type: 4, name: 'points', description: '<points>', required: true, min_value: 0 },
      { type: 3, name: 'today_week_month', description: '[today|week|month]', required: false, choices: ['today', 'week', 'month'].map((c) => ({ name: c, value: c })) },
    ]);
  });

  it('falls back to one free args string for a usage of alternative forms', () => {
    const [p] = commandPayloads(registry(command({ name: 'listen', summary: 'L', subcommands: [s('source', 'add rss <url> | list')] })));
    expect((p!.options[0] as { options: unknown[] }).options).toEqual([{ type: 3, name: 'args', description: 'add rss <url> | list', required: false }]);
  });

  const limits: [string, CommandSpec, (p: ReturnType<typeof commandPayloads>[number]) => void][] = [
    ['descriptions cut at 100', command({ name: 'x', summary: 'd'.repeat(150), subcommands: [s('a', `<${'u'.repeat(150)}>`, 's'.repeat(150))] }), (p) => {
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
  const deal = command({ name: 'deal', summary: 'D', subcommands: [s('add', '<customer> <amount> [currency] [stage:<stage>] [title:<t>]'), s('lost', '<id> [reason]')] });
  const crm = command({ name: 'crm', summary: 'C', subcommands: [s('whoami'), s('role', '<identity> <admin|manager|rep|customer>')] });
  const survey = command({ name: 'survey', summary: 'S', subcommands: [s('send', '<nps|csat|ces> to <audience> [at <YYYY-MM-DD HH:MM>]')] });
  const reg = registry(deal, crm, survey);
  const resolved = { users: { '1600000000000000002': { id: '1600000000000000002', username: 'bo' } } };
  it.each([
    [{ name: 'crm', options: [{ name: 'whoami', type: 1, options: [] }] }, { name: 'crm', args: 'whoami' }],
    // Typed options in the usage's order, whatever order Discord sends them in; prefixes restored, spaces quoted.
    [{ name: 'deal', options: [{ name: 'add', type: 1, options: [{ name: 'title', type: 3, value: 'Big renewal' }, { name: 'amount', type: 10, value: 1200.5 }, { name: 'customer', type: 3, value: 'Ana Lopez' }] }] },
      { name: 'deal', args: 'add "Ana Lopez" 1200.5 title:"Big renewal"' }],
    [{ name: 'deal', options: [{ name: 'add', type: 1, options: [{ name: 'customer', type: 3, value: 'C-3' }, { name: 'amount', type: 10, value: 99 }, { name: 'stage', type: 3, value: 'won' }] }] },
      { name: 'deal', args: 'add C-3 99 stage:won' }],
    [{ name: 'deal', options: [{ name: 'lost', type: 1, options: [{ name: 'deal', type: 3, value: 'D-4' }, { name: 'reason', type: 3, value: 'went with a cheaper one' }] }] },
      { name: 'deal', args: 'lost D-4 went with a cheaper one' }],
    // USER options resolve through data.resolved; pasted mentions in text become identities too.
    [{ name: 'crm', options: [{ name: 'role', type: 1, options: [{ name: 'identity', type: 6, value: '1600000000000000002' }, { name: 'admin_manager_rep_customer', type: 3, value: 'manager' }] }], resolved },
      { name: 'crm', args: 'role discord:1600000000000000002 manager' }],
    [{ name: 'deal', options: [{ name: 'add', type: 1, options: [{ name: 'customer', type: 3, value: '<@!1600000000000000002>' }, { name: 'amount', type: 10, value: 5 }] }] },
      { name: 'deal', args: 'add discord:1600000000000000002 5' }],
    // Literal words of the grammar are written when an option after them is.
    [{ name: 'survey', options: [{ name: 'send', type: 1, options: [{ name: 'nps_csat_ces', type: 3, value: 'nps' }, { name: 'audience', type: 3, value: 'segment:"At risk"' }, { name: 'at', type: 3, value: '2026-12-01 09:00' }] }] },
      { name: 'survey', args: 'send nps to segment:"At risk" at 2026-12-01 09:00' }],
    // Nested groups, unknown commands and the free args option keep working as typed.
    [{ name: 'x', options: [{ name: 'g', type: 2, options: [{ name: 's', type: 1, options: [{ name: 'n', type: 4, value: 3 }] }] }] }, { name: 'x', args: 'g s 3' }],
    [{ name: 'deal', options: [{ name: 'add', type: 1, options: [{ name: 'args', type: 3, value: ' Acme 1200 ' }] }] }, { name: 'deal', args: 'add Acme 1200' }],
    [{ name: 'Points' }, { name: 'points', args: '' }],
  ])('%j -> %j', (data, want) => expect(commandLine(data, reg)).toEqual(want));
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
      await expect(registerCommands(rest, '1100000000000000001', undefined, payloads)).rejects.toThrow(/refused the commands \(400, code 50035\)/);
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
      const role = crm.options.find((o: { name: string }) => o.name === 'role');
      // `<admin|manager|rep|customer|revoke>` joined is longer than Discord's 32-character option names: a `choice` option.
      expect(role.options.map((o: { name: string; type: number }) => [o.name, o.type])).toEqual([['identity', 6], ['choice', 3]]);
      expect(role.options[1].choices.map((c: { value: string }) => c.value)).toEqual(['admin', 'manager', 'rep', 'customer', 'revoke']);
      expect(crm.default_member_permissions).toBeUndefined();
      const deal = put!.json.find((c: { name: string }) => c.name === 'deal');
      expect(deal).toMatchObject({ default_member_permissions: '0', contexts: [0, 1], integration_types: [0] });
      expect(deal.options.find((o: { name: string }) => o.name === 'won').options).toEqual([{ type: 3, name: 'deal', description: '<id>', required: true, autocomplete: true }]);
    } finally {
      await fake.close();
    }
  });
});
