import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { demoDoneMessage, portTakenMessage, startBanner } from './banner.js';

describe('start-up text', () => {
  const config = loadConfig({});
  const facts = { url: 'http://127.0.0.1:3000/', store: 'sqlite' as const, adapters: ['web'], plugins: ['loyalty', 'surveys'], demo: null };

  it('says where it runs, what is on, and who to act as', () => {
    const text = startBanner(config, facts);
    expect(text.split('\n')[0]).toBe('Chat CRM is running: http://127.0.0.1:3000/');
    expect(text).toContain('store     SQLite in ./data/crm.sqlite');
    expect(text).toContain('plugins   loyalty, surveys');
    expect(text).toContain('act as admin, manager, rep or customer');
    expect(text).toContain('npm run demo');
  });

  it('names the demo personas once the demo is loaded', () => {
    const text = startBanner(config, { ...facts, demo: { customers: 300, interactions: 2000, deals: 150, cases: 20 } });
    expect(text).toMatch(/300 customers, 150 deals loaded; act as the demo customers dana or wei/);
    expect(demoDoneMessage(config, { customers: 300, interactions: 2000, deals: 150, cases: 20 })).toMatch(/^Demo loaded: 300 customers.*\nNext: npm start, then open http:\/\/127\.0\.0\.1:3000\//);
  });

  it('puts a taken port in one line naming the port and PORT', () => {
    const line = portTakenMessage(3000);
    expect(line.trimEnd().split('\n')).toHaveLength(1);
    expect(line).toMatch(/Port 3000 is already in use.*PORT=3001 npm start/);
  });
});
