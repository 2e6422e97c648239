import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { envSchema, fileSchema, type Env, type FileConfig } from './schema.js';
import type { Platform, Role } from '../core/domain/types.js';
import { ConfigError, type CoreConfig } from '../core/config.js';

export interface AdapterSwitches {
  slack: boolean;
  discord: boolean;
  telegram: boolean;
  web: boolean;
}

/** The core's CoreConfig, built here: `extends` checks that the schemas give the core what it reads. */
export interface AppConfig extends CoreConfig {
  env: Env;
  file: FileConfig;
  adapters: AdapterSwitches;
}

export { ConfigError };

const PLATFORM_DEFAULT_ROLES: Record<Platform, Role> = { slack: 'rep', web: 'rep', discord: 'customer', telegram: 'customer' };
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

/** The loopback trial's personas: `web:admin` is admin and so on, so every role can be tried from the page. */
export const TRIAL_PERSONAS = ['admin', 'manager', 'rep', 'customer'] as const satisfies readonly Role[];

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

/** Adds the trial personas' roles on loopback; whatever the config file assigns wins. */
export function withTrialPersonas(assign: Record<string, Role>, host: string): Record<string, Role> {
  if (!LOOPBACK.test(host)) return assign;
  return { ...Object.fromEntries(TRIAL_PERSONAS.map((r) => [`web:${r}`, r])), ...assign };
}

function describe(where: string, issues: z.core.$ZodIssue[]): string[] {
  return issues.map((i) => {
    const path = i.path.map(String).join('.');
    return `${where}${path ? ` ${path}` : ''}: ${i.message}`;
  });
}

/** Each adapter needs a complete set of variables; a half-configured one is an error naming what is missing. */
function adapterProblems(env: Env): { switches: Omit<AdapterSwitches, 'web'>; problems: string[] } {
  const problems: string[] = [];
  const need = (when: boolean, names: (keyof Env)[], why: string) => {
    if (!when) return;
    for (const n of names) if (!env[n]) problems.push(`${n} is missing (${why})`);
  };
  const slackAny = Boolean(env.SLACK_BOT_TOKEN || env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN || env.SLACK_CLIENT_ID || env.SLACK_CLIENT_SECRET || env.SLACK_STATE_SECRET);
  const slackOAuth = Boolean(env.SLACK_CLIENT_ID || env.SLACK_CLIENT_SECRET || env.SLACK_STATE_SECRET);
  need(slackAny, ['SLACK_SIGNING_SECRET'], 'Slack requests are verified with it');
  need(slackOAuth, ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'], 'multi-workspace OAuth needs all three');
  need(slackAny && !slackOAuth, ['SLACK_BOT_TOKEN'], 'single-workspace Slack needs the bot token');

  const discordHttp = Boolean(env.DISCORD_PUBLIC_KEY || env.DISCORD_APP_ID || env.DISCORD_GUILD_ID);
  need(discordHttp, ['DISCORD_PUBLIC_KEY', 'DISCORD_APP_ID'], 'Discord interactions need both');

  const telegramAny = Boolean(env.TELEGRAM_BOT_TOKEN || env.TELEGRAM_WEBHOOK_SECRET || env.TELEGRAM_WEBHOOK_URL);
  need(telegramAny, ['TELEGRAM_BOT_TOKEN'], 'the Telegram bot needs its token');
  need(Boolean(env.TELEGRAM_WEBHOOK_URL), ['TELEGRAM_WEBHOOK_SECRET'], 'a webhook is only registered with a secret');

  return {
    switches: { slack: slackAny, discord: discordHttp || Boolean(env.DISCORD_BOT_TOKEN), telegram: telegramAny },
    problems,
  };
}

/** Reads env and the optional config file and reports every problem at once. */
export function loadConfig(rawEnv: NodeJS.ProcessEnv, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): AppConfig {
  const problems: string[] = [];
  const envResult = envSchema.safeParse(rawEnv);
  if (!envResult.success) problems.push(...describe('environment variable', envResult.error.issues));

  let fileJson: unknown = {};
  const configPath = rawEnv.CRM_CONFIG;
  if (configPath) {
    try {
      fileJson = JSON.parse(readFile(configPath));
    } catch (e) {
      problems.push(`CRM_CONFIG ${configPath}: cannot be read as JSON (${(e as Error).message})`);
    }
  }
  problems.push(...forbiddenKeys(fileJson).map((path) => `config file${configPath ? ` ${configPath}` : ''} at ${path}: the key "${path.split('.').at(-1)}" is not allowed (it could change every object)`));
  const fileResult = fileSchema.safeParse(fileJson);
  if (!fileResult.success) problems.push(...describe(`config file${configPath ? ` ${configPath}` : ''} at`, fileResult.error.issues));

  if (!envResult.success || !fileResult.success) throw new ConfigError(problems);
  const env = envResult.data;
  const file = fileResult.data;

  const { switches, problems: adapterIssues } = adapterProblems(env);
  problems.push(...adapterIssues);
  const stageIds = file.stages.map((s) => s.id);
  if (new Set(stageIds).size !== stageIds.length) problems.push('config file at stages: stage ids must be unique');
  for (const s of ['won', 'lost']) if (!stageIds.includes(s)) problems.push(`config file at stages: a stage "${s}" is required`);
  problems.push(...tenantProblems(file, fileJson, configPath));
  if (problems.length) throw new ConfigError(problems);

  const web = LOOPBACK.test(env.HOST) || Boolean(env.WEB_CHAT_TOKEN);
  return {
    env,
    file: { ...file, roles: { ...file.roles, assign: withTrialPersonas(file.roles.assign, env.HOST) } },
    adapters: { ...switches, web },
    defaultRoles: { ...PLATFORM_DEFAULT_ROLES, ...file.roles.defaults },
  };
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Paths of keys that would reach an object's prototype if anything ever merged this JSON. */
export function forbiddenKeys(value: unknown, path = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((k) => {
    const here = path ? `${path}.${k}` : k;
    return [...(FORBIDDEN_KEYS.has(k) ? [here] : []), ...forbiddenKeys((value as Record<string, unknown>)[k], here)];
  });
}

/** Tenancy that would route a request to the wrong tenant, or to a tenant nobody configured. */
function tenantProblems(file: FileConfig, raw: unknown, configPath: string | undefined): string[] {
  const at = `config file${configPath ? ` ${configPath}` : ''} at`;
  const problems: string[] = [];
  const ids = file.tenants.map((t) => t.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`${at} tenants: the tenant id "${id}" is used more than once`);
  for (const key of ['slackTeams', 'discordGuilds', 'telegramChats'] as const) {
    const owners = new Map<string, string[]>();
    for (const t of file.tenants) for (const scope of t[key]) owners.set(scope, [...(owners.get(scope) ?? []), t.id]);
    for (const [scope, ts] of owners) if (ts.length > 1) problems.push(`${at} tenants: ${key} "${scope}" is listed by more than one tenant (${ts.join(', ')}); a scope belongs to one tenant`);
  }
  const explicit = typeof raw === 'object' && raw !== null && Object.hasOwn(raw, 'defaultTenant');
  if (explicit && ids.length && !ids.includes(file.defaultTenant)) {
    problems.push(`${at} defaultTenant: "${file.defaultTenant}" is not one of the tenants (${ids.join(', ')})`);
  }
  return problems;
}
