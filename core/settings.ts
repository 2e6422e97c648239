import type { CoreFileConfig, StageConfig } from './config.js';

/** Per-tenant business settings, resolved from the config file (tenant overrides fall back to globals). */
export interface TenantSettings {
  tenant: string;
  currency: string;
  timezone: string;
  locale: 'en' | 'zh';
  stages: StageConfig[];
  kpi: CoreFileConfig['kpi'];
  /** Value of one unit of each currency in a common unit; `currency` above is the reporting currency. */
  fx: Record<string, number>;
}

export function tenantSettings(file: CoreFileConfig, tenant: string): TenantSettings {
  const t = file.tenants.find((x) => x.id === tenant);
  return {
    tenant,
    currency: t?.currency ?? file.currency,
    timezone: t?.timezone ?? file.timezone,
    locale: t?.locale ?? file.locale,
    stages: file.stages,
    kpi: file.kpi,
    fx: file.fx,
  };
}
