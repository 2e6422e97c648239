import type { Platform, Role } from './domain/types.js';

/**
 * What the core reads of the configuration. config/ builds it from the environment and the config file
 * (its AppConfig extends this) and is the only side that imports the other.
 */
export interface CoreConfig {
  env: {
    PORT: number;
    HOST: string;
    MONGODB_URI?: string;
    CRM_DATA_DIR: string;
    /** Identities that are always admins. */
    CRM_ADMINS: string[];
    METRICS_TOKEN?: string;
    PUBLIC_URL?: string;
    NODE_ENV?: string;
    /** The test fault switch (see core/events/fault.ts). */
    CRM_FAULT_CRASH_AFTER_COMMIT?: string;
  };
  file: CoreFileConfig;
  defaultRoles: Record<Platform, Role>;
}

export interface StageConfig {
  id: string;
  probability: number;
}

export interface TenantConfig {
  id: string;
  name?: string;
  currency?: string;
  timezone?: string;
  locale?: 'en' | 'zh';
  slackTeams: string[];
  discordGuilds: string[];
  telegramChats: string[];
}

export interface CoreFileConfig {
  defaultTenant: string;
  tenants: TenantConfig[];
  unmappedScopes?: 'refuse' | 'default';
  currency: string;
  timezone: string;
  locale: 'en' | 'zh';
  roles: { defaults: Partial<Record<Platform, Role>>; assign: Record<string, Role> };
  stages: StageConfig[];
  kpi: {
    grossMargin: number;
    expectedLifetimeYears: number;
    newWindowDays: number;
    atRiskDays: number;
    churnWindowDays: number;
    minAnswers: number;
    defaultStageCycleDays: number;
  };
  fx: Record<string, number>;
  rateLimit: { commandsPerMinute: number; sourcePerMinute: number; trackedKeys: number };
  /** Durable event delivery: retries with doubling waits, then parking (see /crm events). */
  events: { maxAttempts: number; backoffMs: number; maxBackoffMs: number; pollMs: number };
  web: { sessionDays: number };
  plugins: Record<string, { enabled: boolean; path?: string; config: Record<string, unknown> }>;
}

/** A configuration that cannot run: every problem at once, each naming what to change. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
