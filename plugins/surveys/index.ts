import { definePlugin } from '../../core/plugin-api.js';
import { manifest } from './manifest.js';
import { surveyCommand } from './commands.js';
import { env, fanoutPass } from './fanout.js';
import { keyedLock } from './lock.js';
import { recordDemoSurveys } from './demo.js';
import { cardFields, erasePerson, exportPerson } from './privacy.js';
import { remindPass } from './reminders.js';
import { onCaseClosed, onDealWon } from './triggers.js';
import { overduePass } from './followup.js';

export default definePlugin(manifest, {
  init(ctx) {
    const lock = keyedLock();
    // Jobs act as of their tick, so a fired tick behaves exactly like the minute it stands for.
    const eachTenant = async (job: (t: string) => Promise<unknown>) => {
      for (const t of ctx.tenants()) await lock(t, () => job(t));
    };

    ctx.commands.register(surveyCommand({ ctx, lock }));
    ctx.events.on('deal.won', ({ tenant, deal }) => onDealWon(env(ctx, tenant), deal));
    ctx.events.on('case.closed', ({ tenant, case: kase }) => onCaseClosed(env(ctx, tenant), kase));
    ctx.events.on('demo.loaded', async (p) => ctx.log.info({ tenant: p.tenant, surveys: await recordDemoSurveys(env(ctx, p.tenant), p) }, 'demo surveys recorded'));
    ctx.scheduler.add({ name: 'fanout', cron: '* * * * *', timezone: 'UTC', run: (tick) => eachTenant((t) => fanoutPass(env(ctx, t), tick)) });
    ctx.scheduler.add({ name: 'overdue', cron: '*/10 * * * *', timezone: 'UTC', run: (tick) => eachTenant((t) => overduePass(env(ctx, t), tick)) });
    ctx.scheduler.add({ name: 'reminders', cron: '*/10 * * * *', timezone: 'UTC', run: (tick) => eachTenant((t) => remindPass(env(ctx, t), tick)) });
    ctx.customerCard.add((tenant, customerId) => cardFields(env(ctx, tenant), customerId));
    ctx.privacy.onExport((tenant, customerId) => exportPerson(env(ctx, tenant), customerId));
    ctx.privacy.onErase((tenant, customerId) => erasePerson(env(ctx, tenant), customerId));
  },
});
