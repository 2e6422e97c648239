import { Ajv } from 'ajv';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { MAX_INDEX_FIELDS } from '../store/doc-indexes.js';
import { FIELD_NAME_PATTERN } from '../store/where.js';

export const PERMISSIONS = ['customers.read', 'customers.write', 'interactions.write', 'cases.write', 'outbox.send', 'scheduler'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Ids the core and the adapters use as their own namespaces: no plugin may take one. */
export const RESERVED_IDS = ['core', 'slack', 'discord', 'telegram', 'web'] as const;

/**
 * A plugin's manifest, written in TypeScript beside its entry (`manifest.ts`) so that its permissions and
 * the JSON Schema of its config are types as well as values; validated with ajv when the plugin loads.
 */
export interface PluginManifest<P extends Permission = Permission, S extends JSONSchema = JSONSchema> {
  id: string;
  version: string;
  description: string;
  commands: readonly string[];
  events: readonly string[];
  permissions: readonly P[];
  configSchema: S;
  /** Per document collection, the field lists its queries filter or order by: the host indexes each at start. */
  documents?: { readonly [collection: string]: { readonly indexes: readonly (readonly string[])[] } };
}

/** The config a plugin receives: the manifest's JSON Schema as a type, defaulted properties filled in. */
export type ConfigOf<M extends PluginManifest> = FromSchema<M['configSchema']>;
export type PermissionsOf<M extends PluginManifest> = M['permissions'][number];

/** Keeps the literal types of a manifest written in TypeScript (`const` infers them without `as const`). */
export function defineManifest<const M extends PluginManifest>(manifest: M): M {
  return manifest;
}

/** A chat destination in a plugin's config (where alerts go): a platform and a target identity or `channel:<id>`. */
export const chatTargetSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['platform', 'target'],
  properties: {
    platform: { enum: ['slack', 'discord', 'telegram', 'web'] },
    target: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

const manifestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'version', 'description', 'commands', 'events', 'permissions', 'configSchema'],
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,40}$' },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+' },
    description: { type: 'string', minLength: 1 },
    commands: { type: 'array', items: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' }, uniqueItems: true },
    events: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    permissions: { type: 'array', items: { enum: [...PERMISSIONS] }, uniqueItems: true },
    configSchema: { type: 'object' },
    documents: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['indexes'],
        properties: {
          indexes: {
            type: 'array',
            maxItems: 16,
            items: { type: 'array', minItems: 1, maxItems: MAX_INDEX_FIELDS, uniqueItems: true, items: { type: 'string', pattern: FIELD_NAME_PATTERN } },
          },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validateManifest = ajv.compile(manifestSchema);

/** What to write instead, for the errors whose schema wording would not say it. */
function hint(e: NonNullable<typeof validateManifest.errors>[number]): string {
  if (e.keyword === 'pattern' && /^\/documents\/[^/]+\/indexes\//.test(e.instancePath)) return ' (an index field is a plain document field name: letters, digits and _, e.g. "customerId")';
  if (e.keyword === 'pattern' && e.instancePath === '/documents' && e.propertyName !== undefined) return ` (a document collection name: letters, digits, _ and -, e.g. "mentions"; "${e.propertyName}" is not one)`;
  return '';
}

function explain(errors: typeof validateManifest.errors): string {
  return (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}${hint(e)}`).join('; ');
}

export function parseManifest(json: unknown, where: string): PluginManifest {
  const id = (json as { id?: unknown } | null)?.id;
  if (typeof id === 'string' && (RESERVED_IDS as readonly string[]).includes(id)) {
    throw new Error(`plugin manifest ${where}: the id "${id}" is reserved for the core and the adapters (${RESERVED_IDS.join(', ')}); choose another`);
  }
  if (!validateManifest(json)) throw new Error(`plugin manifest ${where}: ${explain(validateManifest.errors)}`);
  return json as unknown as PluginManifest;
}

/** Validates a plugin's config against its manifest's JSON Schema, filling defaults. */
export function validatePluginConfig(manifest: PluginManifest, config: unknown): Record<string, unknown> {
  const validate = ajv.compile(manifest.configSchema as object);
  const copy = structuredClone(config ?? {});
  if (!validate(copy)) throw new Error(`config of plugin ${manifest.id}: ${explain(validate.errors)}`);
  return copy as Record<string, unknown>;
}
