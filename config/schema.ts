import { z } from 'zod';
import { identitySchema } from '../core/domain/ids.js';
import { PLATFORMS, ROLES } from '../core/domain/types.js';

const optionalSecret = z.string().min(1).optional();
const url = z.url({ message: 'a URL such as https://example.com' }).optional();

/** Environment variables of the external contract. Unknown variables are ignored. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'a MongoDB connection string starting with mongodb:// or mongodb+srv://')
    .optional(),
  CRM_DATA_DIR: z.string().min(1).default('./data'),
  CRM_CONFIG: z.string().min(1).optional(),
  CRM_ADMINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(identitySchema)),
  WEB_CHAT_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  SLACK_SIGNING_SECRET: optionalSecret,
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'a bot token starting with xoxb-').optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'an app-level token starting with xapp-').optional(),
  SLACK_CLIENT_ID: optionalSecret,
  SLACK_CLIENT_SECRET: optionalSecret,
  SLACK_STATE_SECRET: optionalSecret,
  SLACK_API_URL: url,
  DISCORD_BOT_TOKEN: optionalSecret,
  DISCORD_APP_ID: z.string().regex(/^\d{5,25}$/, 'the numeric application id').optional(),
  DISCORD_PUBLIC_KEY: z.string().regex(/^[0-9a-f]{64}$/i, 'the 64-hex-digit public key of the application').optional(),
  DISCORD_GUILD_ID: z.string().regex(/^\d{5,25}$/, 'a numeric guild id').optional(),
  DISCORD_API_URL: url,
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'a bot token like 123456:ABC-DEF').optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, '1-256 characters A-Z a-z 0-9 _ -').optional(),
  TELEGRAM_WEBHOOK_URL: url,
  TELEGRAM_API_ROOT: url,
  PUBLIC_URL: z.url({ protocol: /^https?$/, message: 'the public base URL, such as https://crm.example.com' }).optional(),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  NODE_ENV: z.string().optional(),
  /** Test fault switch: exit right after the next fact commits. "1" counts only when NODE_ENV=test; "always" anywhere. */
  CRM_FAULT_CRASH_AFTER_COMMIT: z.enum(['0', '1', 'always'], { message: '0, 1 (honoured only when NODE_ENV=test) or always' }).optional(),
});
export type Env = z.infer<typeof envSchema>;

const stageSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'a lower-case stage id like proposal'),
  probability: z.number().min(0).max(1),
});

export const DEFAULT_STAGES = [
  { id: 'lead', probability: 0.1 },
  { id: 'qualified', probability: 0.25 },
  { id: 'proposal', probability: 0.5 },
  { id: 'negotiation', probability: 0.75 },
  { id: 'won', probability: 1 },
  { id: 'lost', probability: 0 },
];

const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD');
const timezone = z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Berlin');

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const tenantSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a lower-case tenant id'),
  name: z.string().min(1).optional(),
  currency: currency.optional(),
  timezone: timezone.optional(),
  locale: z.enum(['en', 'zh']).optional(),
  slackTeams: z.array(z.string().regex(/^[TE][A-Z0-9]+$/, 'a Slack team id (T...) or Enterprise Grid id (E...)')).default([]),
  discordGuilds: z.array(z.string().regex(/^\d+$/)).default([]),
  telegramChats: z.array(z.string().regex(/^-?\d+$/)).default([]),
});

const pluginEntry = z.object({
  enabled: z.boolean().default(true),
  path: z.string().min(1).optional(),
  config: z.record(z.string(), z.unknown()).default({}),
});

/** Zero setup means the whole product: without a `plugins` key every built-in plugin is on with its defaults. */
export const BUILT_IN_PLUGINS = ['social-listening', 'loyalty', 'surveys', 'kpi-digest'] as const;
const builtInPlugins = () => Object.fromEntries(BUILT_IN_PLUGINS.map((id) => [id, { enabled: true, config: {} }]));

/** The optional JSON config file named by CRM_CONFIG. */
export const fileSchema = z
  .object({
    defaultTenant: z.string().default('default'),
    tenants: z.array(tenantSchema).default([]),
    /** A Slack team, Discord guild or Telegram group no tenant lists: refused, or served by the default tenant. */
    unmappedScopes: z.enum(['refuse', 'default']).optional(),
    currency: currency.default('USD'),
    timezone: timezone.default('UTC'),
    locale: z.enum(['en', 'zh']).default('en'),
    roles: z
      .object({
        defaults: z.partialRecord(z.enum(PLATFORMS), z.enum(ROLES)).default({}),
        assign: z.record(identitySchema, z.enum(ROLES)).default({}),
      })
      .default({ defaults: {}, assign: {} }),
    stages: z.array(stageSchema).min(2).default(DEFAULT_STAGES),
    kpi: z
      .object({
        grossMargin: z.number().min(0).max(1).default(0.3),
        expectedLifetimeYears: z.number().positive().default(3),
        newWindowDays: z.number().int().positive().default(30),
        atRiskDays: z.number().int().positive().default(60),
        churnWindowDays: z.number().int().positive().default(90),
        minAnswers: z.number().int().positive().default(30),
        defaultStageCycleDays: z.number().int().positive().default(30),
      })
      .default({ grossMargin: 0.3, expectedLifetimeYears: 3, newWindowDays: 30, atRiskDays: 60, churnWindowDays: 90, minAnswers: 30, defaultStageCycleDays: 30 }),
    fx: z.record(currency, z.number().positive('a positive value of one unit in the common unit')).default({}),
    rateLimit: z
      .object({
        commandsPerMinute: z.number().int().positive().default(60),
        sourcePerMinute: z.number().int().positive().default(1200),
        trackedKeys: z.number().int().min(100).default(100_000),
      })
      .default({ commandsPerMinute: 60, sourcePerMinute: 1200, trackedKeys: 100_000 }),
    /** Durable event delivery: a failing handler is retried with doubling waits, then parked for `/crm events`. */
    events: z
      .object({
        maxAttempts: z.number().int().min(1).max(100).default(5),
        backoffMs: z.number().int().min(10).default(1000),
        maxBackoffMs: z.number().int().min(10).default(300_000),
        pollMs: z.number().int().min(10).max(60_000).default(250),
      })
      .default({ maxAttempts: 5, backoffMs: 1000, maxBackoffMs: 300_000, pollMs: 250 }),
    web: z
      .object({ sessionDays: z.number().int().min(1).max(365).default(30) })
      .default({ sessionDays: 30 }),
    plugins: z.record(z.string(), pluginEntry).default(builtInPlugins),
  })
  .strict();
export type FileConfig = z.infer<typeof fileSchema>;
export type StageConfig = z.infer<typeof stageSchema>;
export type TenantConfig = z.infer<typeof tenantSchema>;
