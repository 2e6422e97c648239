import type { Engine } from '../../core/index.js';

interface StashedValue {
  id: string;
  value: string;
}

const docs = (engine: Engine, tenant: string) => engine.store.tenant(tenant).docs<StashedValue>('slack', 'values');

/** Keeps values rendering had to replace by a key (see render.ts) so a later click can be decoded. */
export async function saveStash(engine: Engine, tenant: string, stash: Record<string, string>): Promise<void> {
  for (const [id, value] of Object.entries(stash)) await docs(engine, tenant).insertIfAbsent({ id, value });
}

export async function unstash(engine: Engine, tenant: string, value: string): Promise<string> {
  if (!value.startsWith('~')) return value;
  return (await docs(engine, tenant).get(value))?.value ?? value;
}
