import type { AppConfig } from '../config/index.js';
import type { DemoSummary } from '../core/index.js';

export interface BannerFacts {
  url: string;
  store: 'sqlite' | 'mongo';
  adapters: string[];
  plugins: string[];
  demo: DemoSummary | null;
}

/** The few lines a person sees at `npm start`: where it is, what is on, and what to try first. */
export function startBanner(config: AppConfig, f: BannerFacts): string {
  const store = f.store === 'mongo' ? 'MongoDB (MONGODB_URI)' : `SQLite in ${config.env.CRM_DATA_DIR}/crm.sqlite`;
  const lines = [
    `Chat CRM is running: ${f.url}`,
    `  store     ${store}`,
    `  adapters  ${f.adapters.join(', ') || 'none'}`,
    `  plugins   ${f.plugins.join(', ') || 'none'}`,
  ];
  if (f.adapters.includes('web') && !config.env.WEB_CHAT_TOKEN) {
    lines.push(`  try it    open ${f.url} and act as admin, manager, rep or customer (the page offers each)`);
  }
  lines.push(f.demo
    ? `  demo      ${f.demo.customers} customers, ${f.demo.deals} deals loaded; act as the demo customers dana or wei to see their history`
    : '  demo      stop, then `npm run demo` on an empty data dir, or start with `npm start -- --demo`');
  return `${lines.join('\n')}\n`;
}

/** What `npm run demo` prints when it is done: what was loaded and what to run next. */
export function demoDoneMessage(config: AppConfig, s: DemoSummary): string {
  return [
    `Demo loaded: ${s.customers} customers, ${s.interactions} interactions, ${s.deals} deals, ${s.cases} open cases.`,
    `Next: npm start, then open http://${config.env.HOST}:${config.env.PORT}/ and act as manager (/deal pipeline, /digest now),`,
    '      rep (/deal list), or the demo customers dana and wei (/points, /rewards).',
  ].join('\n') + '\n';
}

/** A taken port is one line naming the port and how to choose another. */
export function portTakenMessage(port: number): string {
  return `Port ${port} is already in use (another Chat CRM?). Stop that process or pick another port: PORT=${port + 1} npm start\n`;
}
