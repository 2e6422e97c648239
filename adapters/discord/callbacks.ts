import type { Engine, Reply } from '../../core/index.js';
import type { StoredCallback } from './custom-id.js';
import { render, type RenderedMessage } from './render.js';

/** Long button values live in the tenant's store; the custom_id carries only their key. */
export function callbackStore(engine: Engine, tenant: string) {
  return engine.store.tenant(tenant).docs<StoredCallback>('discord', 'callbacks');
}

/** Renders replies and stores the long values they refer to, so a later click can find them. */
export async function renderAndStore(engine: Engine, tenant: string, replies: Reply[]): Promise<RenderedMessage[]> {
  const out = replies.map(render);
  for (const cb of out.flatMap((m) => m.callbacks)) await callbackStore(engine, tenant).put(cb);
  return out;
}

/** A click that changed its message: `<message id>:<custom_id>`, so the same button on it cannot act twice. */
export interface DoneClick {
  id: string;
  at: string;
}

export function doneClicks(engine: Engine, tenant: string) {
  return engine.store.tenant(tenant).docs<DoneClick>('discord', 'clicks');
}
