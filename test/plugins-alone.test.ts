import { afterEach, describe, expect, it } from 'vitest';
import kpiDigest from '../plugins/kpi-digest/index.js';
import loyalty from '../plugins/loyalty/index.js';
import socialListening from '../plugins/social-listening/index.js';
import surveys from '../plugins/surveys/index.js';
import { startTestPlugin, type TestPlugin } from './helpers/plugin.js';

/** Each plugin started alone with startTestPlugin: the core's commands, its own, nothing else. */
const roles = { roles: { assign: { 'web:mona': 'manager', 'web:alice': 'rep', 'web:cara': 'customer' } } };
let t: TestPlugin;
afterEach(() => t.stop());

describe('plugins alone', () => {
  it('loyalty: a new customer earns the welcome bonus of its config and /points shows it', async () => {
    t = await startTestPlugin(loyalty, { config: { rules: { welcome: { points: 70 } } }, file: roles });
    expect((await t.say('alice', '/customer add Ann'))[0]!.text).toMatch(/^Added C-1 Ann/);
    expect((await t.say('mona', '/points C-1'))[0]!.text).toMatch(/70 points/);
  });

  it('social-listening: a message matching a query becomes a mention in /mentions', async () => {
    t = await startTestPlugin(socialListening, { file: roles });
    expect((await t.say('mona', '/listen add brand acme'))[0]!.text).toMatch(/^Listening for brand/);
    await t.say('cara', 'acme lost my order, terrible');
    expect((await t.say('alice', '/mentions'))[0]!.text).toBe('Mentions of all queries in the last 7 days: 1 (new: none in the previous 7 days).');
  });

  it('surveys: a manager sends an NPS survey and the invitation leaves through the outbox', async () => {
    t = await startTestPlugin(surveys, { config: { quietHours: { start: '00:00', end: '00:00' } }, file: roles });
    await t.say('cara', 'hello');
    expect((await t.say('mona', '/survey send nps to everyone'))[0]!.text)
      .toBe('Survey S-1 (NPS) to everyone: 1 queued; 0 not reachable, 0 opted out, 0 surveyed in the last 30 days. Done.');
    const [invite, ...more] = await t.sent();
    expect(more).toEqual([]);
    expect(invite).toMatchObject({ platform: 'web', target: 'web:cara' });
    expect(invite!.reply.text).toContain('How likely are you to recommend us to a friend or colleague?');
  });

  it('kpi-digest: /digest now week covers the week up to the fake clock', async () => {
    t = await startTestPlugin(kpiDigest, { file: roles });
    const [digest] = await t.say('mona', '/digest now week');
    // The period ends at the fake clock's minute, not the wall clock's.
    expect(digest!.text).toBe('KPI digest, company view: 2025-12-29 09:00 to 2026-01-05 09:00 UTC, compared with the week before.');
    expect(digest!.fields!.find((f) => f.label === 'New customers')!.value).toBe('0 ▬ ±0 (previous 0)');
  });
});
