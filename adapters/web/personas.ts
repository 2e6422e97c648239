import { isLoopbackHost, TRIAL_PERSONAS } from '../../config/index.js';
import type { Engine, HttpServer } from '../../core/index.js';
import { DEMO_PERSONAS, json, shortId } from '../../core/index.js';

export interface Persona {
  user: string;
  role: string;
  about: string;
}

const ABOUT: Record<(typeof TRIAL_PERSONAS)[number], string> = {
  admin: 'roles, listening queries, digests',
  manager: 'surveys, rewards, points, the pipeline',
  rep: 'customers, deals, calls',
  customer: 'points, rewards, answering surveys',
};

/** Who the loopback trial offers to act as: the four roles, then the demo customers if the demo is loaded. */
export async function trialPersonas(engine: Engine): Promise<Persona[]> {
  if (!isLoopbackHost(engine.config.env.HOST)) return [];
  const ts = engine.store.tenant(engine.tenantFor('web', null));
  const out: Persona[] = [];
  for (const p of TRIAL_PERSONAS) {
    const stored = await ts.identities.get(`web:${p}`);
    out.push({ user: p, role: stored?.role ?? engine.roleFor(`web:${p}`, 'web'), about: ABOUT[p] });
  }
  for (const p of DEMO_PERSONAS) {
    const link = await ts.identities.get(`web:${p.user}`);
    if (link?.customerId) out.push({ user: p.user, role: link.role, about: `demo customer ${shortId('customer', link.customerId)} ${link.displayName}, with points, survey answers and deals` });
  }
  return out;
}

/** `GET /web/api/personas`: the page's persona picker. Empty off loopback, where people sign in instead. */
export function mountPersonas(http: HttpServer, engine: Engine): void {
  http.route('GET', '/web/api/personas', async () => json(200, { personas: await trialPersonas(engine) }));
}
