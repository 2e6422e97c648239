import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../../config/index.js';
import { createLogger, startApp } from '../../core/index.js';
import { commandPayloads, type CommandPayload } from './commands.js';
import { Routes, type REST } from 'discord.js';
import { createRest, restFailure } from './api.js';

/**
 * Replaces the application's commands with the current registry (PUT is a bulk overwrite):
 * in one guild when a guild id is given (visible at once), else globally (may take up to an hour).
 */
export async function registerCommands(rest: REST, appId: string, guildId: string | undefined, payloads: CommandPayload[]): Promise<{ where: string }> {
  const route = guildId ? Routes.applicationGuildCommands(appId, guildId) : Routes.applicationCommands(appId);
  try {
    await rest.put(route, { body: payloads });
  } catch (e) {
    const f = restFailure(e);
    throw new Error(`Discord refused the commands (${f.kind === 'refused' ? `${f.status}, code ${f.code}` : f.kind}): ${(e as Error).message}`);
  }
  return { where: guildId ? `guild ${guildId}` : 'global' };
}

/** `npm run discord:register`: builds the registry the way the app does (core + enabled plugins) and uploads it. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const { DISCORD_APP_ID: appId, DISCORD_BOT_TOKEN: token, DISCORD_GUILD_ID: guildId, DISCORD_API_URL: apiUrl } = config.env;
  const missing = [!appId && 'DISCORD_APP_ID', !token && 'DISCORD_BOT_TOKEN'].filter(Boolean);
  if (missing.length) throw new ConfigError(missing.map((n) => `${n} is missing (registering commands needs it)`));
  const log = createLogger('warn');
  // A worker with no adapters: nothing listens or connects, it only loads the commands of core and plugins.
  const app = await startApp({ config, role: 'worker', adapters: [], pluginsDir: fileURLToPath(new URL('../../plugins/', import.meta.url)), logger: log });
  let payloads: CommandPayload[];
  try {
    payloads = commandPayloads(app.engine.commands);
  } finally {
    await app.stop();
  }
  const { where } = await registerCommands(createRest(apiUrl, token), appId!, guildId, payloads);
  process.stdout.write(`Registered ${payloads.length} commands (${payloads.map((p) => `/${p.name}`).join(', ')}) ${where}.\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    process.stderr.write(`${e instanceof ConfigError ? e.message : ((e as Error).stack ?? e)}\n`);
    process.exit(e instanceof ConfigError ? 2 : 1);
  });
}
