import type { Where } from './port.js';

/** A plain document field name; plugin manifests declare index fields with the same pattern. */
export const FIELD_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,63}$';
const FIELD = new RegExp(FIELD_NAME_PATTERN);

/** Field names come from plugin code, never from users; still, refuse anything that is not a plain name. */
export function assertFieldName(name: string): string {
  if (!FIELD.test(name)) throw new Error(`invalid field name "${name}"`);
  return name;
}

/** Only primitives pass, so no user value can ever become a query operator in either engine. */
export function cleanWhere(where: Where): Where {
  const out: Where = {};
  for (const [k, v] of Object.entries(where)) {
    assertFieldName(k);
    if (v !== null && typeof v === 'object') throw new Error(`filter value for ${k} must be a primitive`);
    out[k] = v;
  }
  return out;
}
