import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, type TestApp } from '../helpers/app.js';

describe('input hygiene over the web chat', () => {
  let app: TestApp;
  const customers = async () => app.engine.store.tenant('default').customers.count();
  beforeAll(async () => {
    app = await startTestApp({ CRM_ADMINS: 'web:boss' });
  });
  afterAll(() => app.stop());

  it.each([
    ['a right-to-left override in a name', '/customer add "Acme\u202Egnp.exe"', 'U+202E RIGHT-TO-LEFT OVERRIDE at character'],
    ['an isolate in a company', '/customer add Acme company:\u2066Evil', 'U+2066 LEFT-TO-RIGHT ISOLATE'],
    ['a zero-width space in a tag', '/customer add Zed tag:v\u200Bip', 'U+200B ZERO WIDTH SPACE'],
    ['a zero-width no-break space in a deal title', '/deal add Acme 100 title:\uFEFFRenewal', 'U+FEFF ZERO WIDTH NO-BREAK SPACE'],
    ['a control character in a lost reason', '/deal lost D-1 price\u0007', 'U+0007 a control character'],
  ])('refuses %s, naming the character, and stores nothing', async (_what, text, named) => {
    const before = await customers();
    const [reply] = await say(app, 'rex', text);
    expect(reply.text).toContain(named);
    expect(reply.text).toMatch(/cannot hold invisible or direction-changing characters .* nothing was changed\.$/);
    expect(await customers()).toBe(before);
  });

  it('reports an unclosed quote where it opens, and stores nothing', async () => {
    const [reply] = await say(app, 'rex', '/customer add "Acme Corp email:a@b.test');
    expect(reply.text).toBe('The quote opened at character 5 ("Acme Corp email:a@b.tes…) is not closed: end the phrase with ".');
    expect(await customers()).toBe(0);
    expect((await say(app, 'rex', '/customer add "Acme Corp" email:a@b.test'))[0].text).toMatch(/Acme Corp/);
    expect(await customers()).toBe(1);
  });

  it('keeps emoji joined by a zero-width joiner and plain accents', async () => {
    expect((await say(app, 'rex', '/customer add "Zoë 👩‍💻 Müller"'))[0].text).toMatch(/Zoë 👩‍💻 Müller/);
  });
});
