import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.js';

function problems(env: Record<string, string>, file?: unknown): string[] {
  try {
    loadConfig(env, () => (typeof file === 'string' ? file : JSON.stringify(file)));
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

describe('loadConfig', () => {
  it('starts with no environment at all: SQLite defaults, web chat on loopback', () => {
    const c = loadConfig({});
    expect(c.env).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', CRM_DATA_DIR: './data', CRM_ADMINS: [] });
    expect(c.adapters).toEqual({ slack: false, discord: false, telegram: false, web: true });
    expect(c.defaultRoles).toEqual({ slack: 'rep', web: 'rep', discord: 'customer', telegram: 'customer' });
    expect(c.file.stages.map((s) => s.id)).toEqual(['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost']);
    expect(Object.keys(c.file.plugins)).toEqual(['social-listening', 'loyalty', 'surveys', 'kpi-digest']);
  });

  it('loads exactly the plugins a config file lists', () => {
    const c = loadConfig({ CRM_CONFIG: 'c.json' }, () => JSON.stringify({ plugins: { loyalty: { enabled: true } } }));
    expect(Object.keys(c.file.plugins)).toEqual(['loyalty']);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ CRM_ADMINS: 'web:ok,root' }, /CRM_ADMINS.*identity like/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /SLACK_SIGNING_SECRET is missing/],
    [{ SLACK_CLIENT_ID: 'x', SLACK_SIGNING_SECRET: 's' }, /SLACK_CLIENT_SECRET is missing/],
    [{ DISCORD_APP_ID: '12345678' }, /DISCORD_PUBLIC_KEY is missing/],
    [{ TELEGRAM_WEBHOOK_SECRET: 'abc' }, /TELEGRAM_BOT_TOKEN is missing/],
    [{ TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_WEBHOOK_URL: 'https://x.test/telegram/webhook' }, /TELEGRAM_WEBHOOK_SECRET is missing/],
    [{ MONGODB_URI: 'postgres://x' }, /MONGODB_URI.*mongodb:\/\//],
  ])('names the variable that is wrong: %j', (env, expected) => {
    expect(problems(env).join('\n')).toMatch(expected);
  });

  it('reports every problem at once, env and config file together', () => {
    const all = problems({ PORT: '-1', CRM_CONFIG: 'crm.json' }, { currency: 'dollars', kpi: { grossMargin: 2 }, surprise: 1 });
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(all.join('\n')).toMatch(/PORT/);
    expect(all.join('\n')).toMatch(/config file crm.json at currency: an ISO 4217 code/);
    expect(all.join('\n')).toMatch(/kpi.grossMargin/);
    expect(all.join('\n')).toMatch(/surprise/);
  });

  it('says when the config file is not JSON', () => {
    expect(problems({ CRM_CONFIG: 'x.json' }, '{oops').join()).toMatch(/cannot be read as JSON/);
  });

  it('requires won and lost stages', () => {
    expect(problems({ CRM_CONFIG: 'c.json' }, { stages: [{ id: 'a', probability: 0.1 }, { id: 'b', probability: 1 }] }).join()).toMatch(/a stage "won" is required/);
  });

  it('turns the web chat off on a public interface without a token, on with one', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }).adapters.web).toBe(false);
    expect(loadConfig({ HOST: '0.0.0.0', WEB_CHAT_TOKEN: 'a-long-enough-token' }).adapters.web).toBe(true);
  });
});

describe('trial personas', () => {
  it('gives web:admin, web:manager, web:rep and web:customer their roles on loopback', () => {
    expect(loadConfig({}).file.roles.assign).toEqual({ 'web:admin': 'admin', 'web:manager': 'manager', 'web:rep': 'rep', 'web:customer': 'customer' });
  });

  it('lets the config file assign a persona otherwise', () => {
    const c = loadConfig({ CRM_CONFIG: 'c.json' }, () => JSON.stringify({ roles: { assign: { 'web:admin': 'rep', 'web:zoe': 'manager' } } }));
    expect(c.file.roles.assign).toMatchObject({ 'web:admin': 'rep', 'web:manager': 'manager', 'web:zoe': 'manager' });
  });

  it('has no personas off loopback', () => {
    expect(loadConfig({ HOST: '0.0.0.0', WEB_CHAT_TOKEN: 'x'.repeat(32) }).file.roles.assign).toEqual({});
  });
});

describe('config that cannot lie', () => {
  const file = (f: unknown) => problems({ CRM_CONFIG: 'crm.json' }, f);

  it('names every tenancy problem in one message', () => {
    const all = file({
      defaultTenant: 'acme-typo',
      tenants: [
        { id: 'acme', slackTeams: ['T1'], discordGuilds: ['42'] },
        { id: 'acme' },
        { id: 'beta', slackTeams: ['T1'], discordGuilds: ['42'] },
      ],
    });
    expect(all).toEqual([
      'config file crm.json at tenants: the tenant id "acme" is used more than once',
      'config file crm.json at tenants: slackTeams "T1" is listed by more than one tenant (acme, beta); a scope belongs to one tenant',
      'config file crm.json at tenants: discordGuilds "42" is listed by more than one tenant (acme, beta); a scope belongs to one tenant',
      'config file crm.json at defaultTenant: "acme-typo" is not one of the tenants (acme, acme, beta)',
    ]);
  });

  it('keeps the implicit default tenant for DMs when defaultTenant is not written', () => {
    expect(file({ tenants: [{ id: 'acme' }] })).toEqual([]);
    expect(file({ defaultTenant: 'acme', tenants: [{ id: 'acme' }] })).toEqual([]);
  });

  it('refuses __proto__, constructor and prototype keys anywhere, naming each path', () => {
    const text = '{"__proto__": {"x": 1}, "roles": {"assign": {"constructor": "admin"}}, "plugins": {"loyalty": {"config": {"a": {"prototype": 1}}}}}';
    const all = file(text).join('\n');
    expect(all).toMatch(/at __proto__: the key "__proto__" is not allowed/);
    expect(all).toMatch(/at roles\.assign\.constructor: the key "constructor" is not allowed/);
    expect(all).toMatch(/at plugins\.loyalty\.config\.a\.prototype: the key "prototype" is not allowed/);
    expect(() => loadConfig({ CRM_CONFIG: 'c.json' }, () => text)).toThrow(ConfigError);
  });

  it('accepts unmappedScopes refuse or default only', () => {
    expect(file({ unmappedScopes: 'default' })).toEqual([]);
    expect(file({ unmappedScopes: 'allow' }).join()).toMatch(/unmappedScopes/);
  });
});
