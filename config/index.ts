export { loadConfig, ConfigError, isLoopbackHost, TRIAL_PERSONAS, type AppConfig, type AdapterSwitches } from './load.js';
export { BUILT_IN_PLUGINS, DEFAULT_STAGES, isTimeZone, type Env, type FileConfig, type StageConfig, type TenantConfig } from './schema.js';
