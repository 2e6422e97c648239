import { surveyAnswerSource, surveyAnswerText, type SurveyKind } from '../domain/survey-answer.js';
import type { IdentityLink, Interaction } from '../domain/types.js';
import type { Engine } from '../engine.js';
import { draft, type DemoSurvey } from '../events/bus.js';
import { seeded } from './random.js';
import { linkDemoPersonas } from './personas.js';
import { recordWonPurchase } from '../sales/won-revenue.js';

const FIRST = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Tyrell', 'Cyberdyne', 'Wonka', 'Massive', 'Pied Piper', 'Aperture', 'Black Mesa', 'Oscorp', 'Gringotts', 'Monarch', 'Nakatomi'];
const SECOND = ['Labs', 'Corp', 'Foods', 'Systems', 'Logistics', 'Studio', 'Retail', 'Health', 'Capital', 'Energy', 'Media', 'Works', 'Group', 'Partners', 'Analytics'];
const NOTES = ['asked about pricing', 'wants a demo next week', 'renewal discussion', 'onboarding call', 'shared feedback on the app', 'requested an invoice copy', 'introduced a colleague'];
const WHY = ['fast support', 'great product', 'too expensive', 'slow delivery', 'easy to use', 'missing features', 'friendly team', '客服很好', '价格太贵'];
/** The demo brand: its listening query is created with the demo, and customers' messages about it become mentions. */
const BRAND_QUERY = { name: 'brand', query: 'lumen' };
const MENTIONS = [
  'Loving the new Lumen release, great work', 'The Lumen app keeps crashing, really bad', 'Does anyone know if Lumen supports CSV export?',
  'Lumen 产品很好用', 'Lumen 太慢了，不好', 'Lumen support never answered my ticket', 'Best onboarding I have seen, thanks Lumen',
];
/** One survey per kind over the year, so /survey list and /survey results show what the digest counts. */
const SURVEY_IDS: Record<SurveyKind, string> = { nps: 'S-1', csat: 'S-2', ces: 'S-3' };
const REPS = ['web:alice', 'web:rita', 'web:raj'];
const DAY = 86_400_000;

export interface DemoSummary {
  customers: number;
  interactions: number;
  deals: number;
  cases: number;
}

/**
 * A year of business for one tenant: customers with purchase rhythms that drift (so every lifecycle stage
 * and RFM segment appears), activities, deals in every stage, survey answers, mentions and complaints.
 * Fixed seed; refuses to touch a tenant that already has customers.
 */
export async function loadDemo(engine: Engine, tenant = engine.config.file.defaultTenant, size = { customers: 300 }): Promise<DemoSummary> {
  const ts = engine.store.tenant(tenant);
  if ((await ts.customers.count()) > 0) throw new Error(`tenant ${tenant} already has data; the demo only loads into an empty store`);
  const rnd = seeded(20261123);
  const now = Date.parse(engine.now());
  const iso = (t: number) => new Date(Math.min(t, now)).toISOString();
  const stages = engine.settings(tenant).stages;
  const currency = engine.settings(tenant).currency;
  const sum: DemoSummary = { customers: 0, interactions: 0, deals: 0, cases: 0 };
  const yearAgo = iso(now - 365 * DAY);
  const surveys: DemoSurvey[] = (['nps', 'csat', 'ces'] as const).map((kind) => ({ id: SURVEY_IDS[kind], kind, startedAt: yearAgo, finishedAt: iso(now), answers: [] }));
  const messages: { actor: IdentityLink; interaction: Interaction }[] = [];

  for (const [identity, role] of [['web:alice', 'rep'], ['web:rita', 'rep'], ['web:raj', 'rep'], ['web:bob', 'manager']] as const) {
    await ts.identities.touch({ identity, platform: 'web', displayName: identity.slice(4), role, customerId: null, locale: null }, iso(now - 365 * DAY));
  }

  for (let m = 0; m < 12; m++) {
    const d = new Date(now);
    const month = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - m, 1)).toISOString().slice(0, 7);
    await ts.spend.record(month, rnd.int(4, 9) * 100_000, currency, 'web:bob', iso(now - m * 30 * DAY));
  }

  for (let i = 0; i < size.customers; i++) {
    const created = now - rnd.int(5, 365) * DAY;
    const owner = rnd.pick(REPS);
    const name = `${rnd.pick(FIRST)} ${rnd.pick(SECOND)} ${i + 1}`;
    const tx = engine.bus.batch();
    const c = await ts.customers.create({ name, company: name.replace(/ \d+$/, ''), owner, tags: rnd.chance(0.2) ? ['vip'] : [], emails: [`buyer${i + 1}@example.com`] }, iso(created),
      tx.events((customer) => [draft('customer.created', { tenant, customer })]));
    await tx.published();
    sum.customers++;
    const chat = { identity: `web:customer${i + 1}`, platform: 'web' as const, displayName: name, role: 'customer' as const, customerId: c.id, locale: rnd.chance(0.2) ? 'zh-CN' : 'en' };
    let person: IdentityLink | null = rnd.chance(0.3) ? await ts.identities.touch(chat, iso(created)) : null;
    // Whoever answers a survey or writes about the brand does so from a chat identity.
    const speaker = async () => (person ??= await ts.identities.touch(chat, iso(created)));
    // Published like live activity, so whichever plugins are on (loyalty points, ...) react to the demo too.
    const add = async (type: Parameters<typeof ts.interactions.add>[0]['type'], at: number, text: string, amountMinor: number | null = null, from: { identity: string; sourceEventId: string | null } | null = null) => {
      const inbound = type === 'purchase' || from !== null;
      const added = engine.bus.batch();
      const { interaction } = await ts.interactions.add({ customerId: c.id, identity: from?.identity ?? null, type, channel: 'demo', direction: inbound ? 'in' : 'out', text, amountMinor, currency: amountMinor === null ? null : currency, occurredAt: iso(at), sourceEventId: from?.sourceEventId ?? null },
        added.events((r) => [draft('interaction.recorded', { tenant, interaction: r.interaction, by: owner })]));
      await added.published();
      sum.interactions++;
      return interaction;
    };
    // Purchase rhythm: every `gap` days from creation until the customer (maybe) stops buying.
    const buyer = rnd.chance(0.8);
    const gap = rnd.int(14, 90);
    const stopsAt = rnd.chance(0.35) ? created + rnd.int(30, 300) * DAY : now;
    const basket = rnd.int(20, 800) * 100;
    for (let t = created + rnd.int(0, 20) * DAY; buyer && t < Math.min(stopsAt, now); t += gap * DAY * (0.7 + rnd.next() * 0.6)) {
      await add('purchase', t, rnd.pick(['subscription', 'add-on', 'hardware', 'services']), Math.round(basket * (0.6 + rnd.next() * 0.8)));
    }
    for (let k = rnd.int(0, 6); k > 0; k--) await add(rnd.pick(['call', 'meeting', 'email', 'note'] as const), created + rnd.next() * (now - created), rnd.pick(NOTES));
    // Answers and mentions fall anywhere in the customer's time with us: the year has no spike on load day.
    // Each answer belongs to its kind's demo survey (one per person per survey), keyed as the surveys plugin keys answers.
    if (rnd.chance(0.35)) {
      const kind = rnd.pick(['nps', 'nps', 'csat', 'ces'] as const);
      const score = kind === 'nps' ? rnd.int(0, 10) : kind === 'csat' ? rnd.int(1, 5) : rnd.int(1, 7);
      const why = rnd.chance(0.6) ? rnd.pick(WHY) : null;
      const survey = surveys.find((s) => s.kind === kind)!;
      const { identity } = await speaker();
      const answer = await add('survey_response', created + rnd.next() * (now - created), surveyAnswerText(kind, score), null, { identity, sourceEventId: surveyAnswerSource(survey.id, c.id, 1) });
      survey.answers.push({ customerId: c.id, identity, score, why, answeredAt: answer.occurredAt });
    }
    // A chat message about the brand: social listening hears it (after the demo's query exists) and records the mention.
    if (rnd.chance(0.15)) {
      const actor = await speaker();
      messages.push({ actor, interaction: await add('message', created + rnd.next() * (now - created), rnd.pick(MENTIONS), null, { identity: actor.identity, sourceEventId: null }) });
    }
    if (rnd.chance(0.08)) {
      await add('complaint', now - rnd.int(0, 40) * DAY, 'invoice did not match the quote');
      await ts.cases.open({ customerId: c.id, kind: 'complaint', owner, summary: 'invoice did not match the quote', dueAt: iso(now + rnd.int(-5, 5) * DAY) }, iso(now - rnd.int(1, 10) * DAY));
      sum.cases++;
    }
    if (rnd.chance(0.5)) {
      const open = stages.filter((s) => s.id !== 'won' && s.id !== 'lost');
      const start = open[0]!;
      const opened = created + rnd.next() * (now - created);
      const movedAt = opened + rnd.int(3, 60) * DAY;
      // A deal closes only when its close time has come; otherwise it is still open in a later stage.
      const picked = rnd.pick(stages);
      const stage = (picked.id === 'won' || picked.id === 'lost') && movedAt >= now ? open[Math.min(1, open.length - 1)]! : picked;
      // One open deal in five has no close date: the forecast estimates it from the stage's cycle.
      const closeMonth = rnd.chance(0.2) ? null : new Date(now + rnd.int(-10, 75) * DAY).toISOString().slice(0, 10);
      const deal = await ts.deals.create({
        customerId: c.id, title: `${name} ${rnd.pick(['renewal', 'expansion', 'pilot', 'new business'])}`, amountMinor: rnd.int(5, 500) * 10_000,
        currency, stage: start.id, probability: start.probability, owner, expectedClose: closeMonth,
      }, owner, iso(opened));
      sum.deals++;
      if (stage.id !== start.id) {
        const closed = stage.id === 'won' || stage.id === 'lost';
        const won = engine.bus.batch();
        const moved = await ts.deals.moveStage(deal.id, {
          stage: stage.id, at: iso(movedAt), by: owner, probability: stage.probability, closed,
          lostReason: stage.id === 'lost' ? rnd.pick(['price', 'timing', 'competitor']) : null,
        }, won.events((d) => (stage.id === 'won' ? [draft('deal.won', { tenant, deal: d })] : [])));
        if (moved && stage.id === 'won') await recordWonPurchase(ts, moved);
        await won.published();
      }
    }
  }
  await engine.bus.emit('demo.loaded', { tenant, by: 'web:bob', at: iso(now), surveys, queries: [BRAND_QUERY] });
  for (const { actor, interaction } of messages) {
    await engine.bus.emit('message.received', { tenant, platform: 'web', channel: 'demo', actor, interaction, permalink: null });
  }
  await linkDemoPersonas(engine, tenant, iso(now));
  return sum;
}
