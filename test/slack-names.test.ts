import type { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { DisplayNames, displayNameOf, NAME_TTL_MS } from '../adapters/slack/names.js';
import { fixture } from './fixtures/slack/harness.js';

/** A users.info stand-in answering from a list, one answer a call (an Error is thrown as the call's failure). */
function client(answers: (object | Error)[]) {
  const asked: string[] = [];
  const c = {
    users: {
      info: async ({ user }: { user: string }) => {
        asked.push(user);
        const a = answers.shift();
        if (a instanceof Error) throw a;
        return a;
      },
    },
  } as unknown as webApi.WebClient;
  return { c, asked };
}

describe('names: users.info, cached a day', () => {
  it.each([
    ['display name first', { name: 'dk', real_name: 'Дмитрий Кузнецов', profile: { display_name: 'Дима', real_name: 'Дмитрий Кузнецов' } }, 'Дима'],
    ['real name when no display name', { name: 'yamada', real_name: '山田太郎', profile: { display_name: '', real_name: '山田太郎' } }, '山田太郎'],
    ['handle as a last resort', { name: 'steve', profile: {} }, 'steve'],
    ['nothing', undefined, null],
  ])('%s', (_n, user, want) => {
    expect(displayNameOf(user)).toBe(want);
  });

  it('asks once a day, and keeps the last known name when Slack fails', async () => {
    let now = 0;
    const names = new DisplayNames(() => now);
    const info = fixture('users-info-nonlatin.json');
    const renamed = { ok: true, user: { ...info.user, profile: { ...info.user.profile, display_name: 'Дмитрий К.' } } };
    const { c, asked } = client([info, renamed, new Error('ratelimited')]);
    expect(await names.get(c, 'T0ORGWS01', 'W0ORGUSER1')).toBe('Дима');
    now = NAME_TTL_MS - 1;
    expect(await names.get(c, 'T0ORGWS01', 'W0ORGUSER1')).toBe('Дима');
    expect(asked).toHaveLength(1);
    now = NAME_TTL_MS;
    expect(await names.get(c, 'T0ORGWS01', 'W0ORGUSER1')).toBe('Дмитрий К.');
    now = 2 * NAME_TTL_MS;
    expect(await names.get(c, 'T0ORGWS01', 'W0ORGUSER1')).toBe('Дмитрий К.');
    expect(asked).toHaveLength(3);
  });

  it("keeps the person's time zone from users.info (tz)", async () => {
    const names = new DisplayNames(() => 0);
    const info = fixture('users-info-nonlatin.json');
    const { c } = client([info, { ok: true, user: { id: 'U2', name: 'nozone' } }]);
    expect(await names.person(c, 'T0ORGWS01', 'W0ORGUSER1')).toEqual({ name: 'Дима', timezone: 'Europe/Moscow' });
    expect(await names.person(c, 'T0ORGWS01', 'U2')).toEqual({ name: 'nozone', timezone: null });
  });
});
