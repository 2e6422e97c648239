import { fileURLToPath } from 'node:url';
import type { AppConfig } from '../config/index.js';
import type { Adapter } from '../core/index.js';
import { webAdapter } from './web/index.js';
import { discordAdapter } from './discord/index.js';
import { telegramAdapter } from './telegram/index.js';
import { slackAdapter } from './slack/index.js';

/** Composition: the adapters the environment enables, in every thread and process that starts an app. */
export async function adaptersFor(config: AppConfig): Promise<Adapter[]> {
  const list: Adapter[] = [];
  if (config.adapters.web) list.push(webAdapter(config.env.WEB_CHAT_TOKEN));
  if (config.adapters.discord) list.push(discordAdapter(config));
  if (config.adapters.telegram) list.push(telegramAdapter(config));
  if (config.adapters.slack) list.push(slackAdapter(config));
  return list;
}

export const PLUGINS_DIR = fileURLToPath(new URL('../plugins/', import.meta.url));

/** `startApp`'s processing thread: the module it runs, handed the configuration this process loaded. */
export function processingThread(config: AppConfig): { entry: URL; data: ProcessingThreadData } {
  return { entry: new URL('./processing-thread.ts', import.meta.url), data: { config } };
}

export interface ProcessingThreadData {
  config: AppConfig;
}
