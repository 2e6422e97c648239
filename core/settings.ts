import type { FileConfig, StageConfig } from '../config/index.js';

/** Per-tenant business settings, resolved from the config file (tenant overrides fall back to globals). */
export interface TenantSettings {
  tenant: string;
  currency: string;
  timezone: string;
  locale: 'en' | 'zh';
  stages: StageConfig[];
  kpi: FileConfig['kpi'];
}

export function tenantSettings(file: FileConfig, tenant: string): TenantSettings {
  const t = file.tenants.find((x) => x.id === tenant);
  return {
    tenant,
    currency: t?.currency ?? file.currency,
    timezone: t?.timezone ?? file.timezone,
    locale: file.locale,
    stages: file.stages,
    kpi: file.kpi,
  };
}
