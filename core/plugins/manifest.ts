import { Ajv } from 'ajv';

export interface PluginManifest {
  id: string;
  version: string;
  description: string;
  entry: string;
  commands: string[];
  events: string[];
  permissions: Permission[];
  configSchema: Record<string, unknown>;
}

export const PERMISSIONS = ['customers.read', 'customers.write', 'interactions.write', 'outbox.send', 'scheduler'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const manifestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'version', 'description', 'commands', 'events', 'permissions', 'configSchema'],
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,40}$' },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+' },
    description: { type: 'string', minLength: 1 },
    entry: { type: 'string', default: 'index.ts' },
    commands: { type: 'array', items: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' }, uniqueItems: true },
    events: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    permissions: { type: 'array', items: { enum: [...PERMISSIONS] }, uniqueItems: true },
    configSchema: { type: 'object' },
  },
} as const;

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validateManifest = ajv.compile(manifestSchema);

function explain(errors: typeof validateManifest.errors): string {
  return (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ');
}

export function parseManifest(json: unknown, where: string): PluginManifest {
  if (!validateManifest(json)) throw new Error(`plugin manifest ${where}: ${explain(validateManifest.errors)}`);
  return json as unknown as PluginManifest;
}

/** Validates a plugin's config against its manifest's JSON Schema, filling defaults. */
export function validatePluginConfig(manifest: PluginManifest, config: unknown): Record<string, unknown> {
  const validate = ajv.compile(manifest.configSchema);
  const copy = structuredClone(config ?? {});
  if (!validate(copy)) throw new Error(`config of plugin ${manifest.id}: ${explain(validate.errors)}`);
  return copy as Record<string, unknown>;
}
