import type { AppConfig } from '../../config/index.js';
import type { Adapter } from '../../core/index.js';
import { createRest } from './api.js';
import { InteractionAnswers } from './answer.js';
import { startGateway, type Gateway } from './gateway.js';
import { mountInteractions } from './interactions.js';
import { discordSender } from './send.js';

/** How long an interaction may work before it is answered "deferred": Discord allows 3 s, minus the way back. */
const ACK_AFTER_MS = 2000;

/**
 * Discord: HTTP interactions when DISCORD_PUBLIC_KEY + DISCORD_APP_ID are set; the gateway and the
 * outbox sender when DISCORD_BOT_TOKEN is set. All of them call Discord through one REST client.
 */
export function discordAdapter(config: AppConfig): Adapter {
  const { DISCORD_PUBLIC_KEY: publicKey, DISCORD_APP_ID: appId, DISCORD_BOT_TOKEN: token, DISCORD_API_URL: apiUrl } = config.env;
  const rest = createRest(apiUrl, token);
  const pending = new Set<Promise<void>>();
  let gateway: Gateway | null = null;
  const adapter: Adapter = {
    platform: 'discord',
    async stop() {
      await gateway?.stop();
      gateway = null;
      // Follow-ups already under way finish before the store closes.
      while (pending.size) await Promise.all([...pending]);
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    },
  };
  if (publicKey && appId) {
    adapter.mount = (http, engine) => mountInteractions(http, engine, { appId, publicKey, rest, ackAfterMs: ACK_AFTER_MS, pending });
    // Where requests are handled (the processing thread, or here): queued and replayed interactions answered through their token.
    let answerer: InteractionAnswers | null = null;
    adapter.answer = (engine, ev, replies) => (answerer ??= new InteractionAnswers(engine, rest, appId)).answer(ev, replies);
  }
  if (token) {
    adapter.sender = (engine) => discordSender(engine, rest);
    adapter.startWorker = async (engine) => {
      gateway = startGateway(engine, { token, apiUrl, rest, pending });
    };
  }
  return adapter;
}
