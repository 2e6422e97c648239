import { describe, expect, it } from 'vitest';
import { say, startTestApp } from '../helpers/app.js';

const role = async (app: Awaited<ReturnType<typeof startTestApp>>, user: string) =>
  (await say(app, user, '/crm whoami'))[0].fields.find((f: { label: string }) => f.label === 'Role').value as string;

describe('roles follow their source across restarts', () => {
  it('takes CRM_ADMINS and roles.assign roles away when the source drops them; revoked grants stay revoked', async () => {
    const first = await startTestApp({ CRM_ADMINS: 'web:root,web:ex' }, { roles: { assign: { 'web:mgr': 'manager' } } });
    const dataDir = first.dataDir;
    expect(await role(first, 'ex')).toBe('admin');
    expect(await role(first, 'mgr')).toBe('manager');
    expect((await say(first, 'root', '/crm role web:lee manager'))[0].text).toBe('web:lee is now manager.');
    expect((await say(first, 'root', '/crm role web:kay admin'))[0].text).toMatch(/web:kay is now admin/);
    expect(await role(first, 'kay')).toBe('admin');
    const listed = (await say(first, 'mgr', '/crm roles'))[0];
    expect(listed.fields).toEqual(expect.arrayContaining([
      { label: 'web:ex', value: 'admin (CRM_ADMINS)' },
      { label: 'web:mgr', value: 'manager (roles.assign in the config file)' },
      { label: 'web:lee', value: expect.stringMatching(/^manager, granted by web:root on \d{4}-\d\d-\d\d \d\d:\d\d UTC$/) },
    ]));
    expect((await say(first, 'root', '/crm role web:kay revoke'))[0].text).toMatch(/Revoked the admin role web:root granted web:kay; they are now rep/);
    expect((await say(first, 'lee', '/crm roles'))[0].text).toMatch(/^Roles beyond/);
    await first.stop();

    // Same data, web:ex out of CRM_ADMINS and web:mgr out of roles.assign.
    const second = await startTestApp({ CRM_DATA_DIR: dataDir, CRM_ADMINS: 'web:root' }, { roles: { assign: {} } });
    try {
      // Already at start, before they write again: what digests and every other reader of the store see.
      const stored = async (id: string) => (await second.engine.store.tenant('default').identities.get(id))!.role;
      expect([await stored('web:ex'), await stored('web:mgr'), await stored('web:lee'), await stored('web:root')]).toEqual(['rep', 'rep', 'manager', 'admin']);
      expect(await role(second, 'ex')).toBe('rep');
      expect((await say(second, 'ex', '/crm role web:ex admin'))[0].text).toMatch(/needs the role admin; you are rep/);
      expect(await role(second, 'mgr')).toBe('rep');
      expect(await role(second, 'kay')).toBe('rep');
      expect(await role(second, 'lee')).toBe('manager');
      expect((await say(second, 'root', '/crm role web:nobody revoke'))[0].text).toMatch(/has no role granted/);
    } finally {
      await second.stop();
    }
  });

  it('gives every customer-role identity a customer record: by grant, by config, on first contact', async () => {
    const app = await startTestApp({ CRM_ADMINS: 'web:root' }, { roles: { assign: { 'web:cfg': 'customer' } } });
    try {
      await say(app, 'gina', 'hello');
      const granted = (await say(app, 'root', '/crm role web:gina customer'))[0].text;
      expect(granted).toMatch(/^web:gina is now customer\. Customer record C-\d+ was created for them\.$/);
      expect((await say(app, 'root', '/crm role web:fresh customer'))[0].text).toMatch(/Customer record C-\d+ was created/);
      for (const user of ['gina', 'fresh', 'cfg']) {
        const who = (await say(app, user, '/crm whoami'))[0].fields;
        expect(who).toContainEqual({ label: 'Role', value: 'customer' });
        expect(who.find((f: { label: string }) => f.label === 'Customer').value).toMatch(/^C-\d+$/);
      }
      expect((await say(app, 'gina', '/points'))[0].text).toMatch(/You have \d+ points/);
    } finally {
      await app.stop();
    }
  });
});
