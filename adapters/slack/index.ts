import { readFileSync } from 'node:fs';
import { App, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { AppConfig } from '../../config/index.js';
import type { Adapter, Engine } from '../../core/index.js';
import { SlackAnswers } from './answer.js';
import { boltLogger, clientOptions, Clients, outboxClientOptions } from './client.js';
import { multiWorkspace, singleWorkspace, type Tokens } from './installations.js';
import { registerListeners } from './listeners.js';
import { DisplayNames } from './names.js';
import { mountOAuth } from './oauth.js';
import { RouteReceiver } from './receiver.js';
import { ResponseUrls } from './respond.js';
import { slackSender } from './send.js';

interface Manifest {
  features: { slash_commands: { command: string }[] };
  oauth_config: { scopes: { bot: string[] } };
}
const manifest = JSON.parse(readFileSync(new URL('./manifest.json', import.meta.url), 'utf8')) as Manifest;

interface Shared {
  tokens: Tokens;
  responseUrls: ResponseUrls;
  clients: Clients;
  answers: SlackAnswers;
  bolt: (receiver: Receiver) => App;
}

/**
 * Slack: one Bolt app behind `POST /slack/events` on the shared server (or Socket Mode in the worker when
 * SLACK_APP_TOKEN is set), OAuth install routes for multi-workspace, and the outbox sender.
 */
export function slackAdapter(config: AppConfig): Adapter {
  const env = config.env;
  let shared: Shared | null = null;
  const apps: App[] = [];

  // Built once the engine exists (its store holds installations); every role shares it.
  const setup = (engine: Engine): Shared => {
    if (shared) return shared;
    const logger = boltLogger(engine.log);
    const options = clientOptions(env, logger);
    const tokens = env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET && env.SLACK_STATE_SECRET
      ? multiWorkspace(engine, { clientId: env.SLACK_CLIENT_ID, clientSecret: env.SLACK_CLIENT_SECRET, stateSecret: env.SLACK_STATE_SECRET, scopes: manifest.oauth_config.scopes.bot }, options, logger)
      : singleWorkspace(env.SLACK_BOT_TOKEN!);
    const responseUrls = new ResponseUrls();
    const answers = new SlackAnswers({ engine, tokens, clients: new Clients(options), responseUrls, names: new DisplayNames(() => Date.parse(engine.now())) });
    const bolt = (receiver: Receiver) => {
      // Bolt's own self-filter needs bot ids a plain token does not give; normalize.ts drops bot messages instead.
      const app = new App({ receiver, authorize: tokens.authorize, clientOptions: options, logger, ignoreSelf: false, convoStore: false });
      app.error(async (e) => void engine.log.error({ err: e.message }, 'slack listener failed'));
      registerListeners(app, { engine, answers });
      apps.push(app);
      return app;
    };
    return (shared = { tokens, responseUrls, clients: new Clients(outboxClientOptions(options)), answers, bolt });
  };

  return {
    platform: 'slack',

    // Slack has no API to add slash commands at run time; they come from manifest.json, so say what is missing.
    async prepare(engine) {
      const declared = new Set(manifest.features.slash_commands.map((c) => c.command));
      for (const c of engine.commands.list()) {
        if (!declared.has(`/${c.name}`)) engine.log.warn({ command: `/${c.name}` }, 'add this slash command to the Slack app (see adapters/slack/manifest.json)');
      }
    },

    mount(http, engine) {
      const s = setup(engine);
      const receiver = new RouteReceiver({ signingSecret: env.SLACK_SIGNING_SECRET!, logger: boltLogger(engine.log) });
      s.bolt(receiver);
      http.route('POST', '/slack/events', (req) => receiver.handle(req));
      if (s.tokens.installer) mountOAuth(http, s.tokens.installer, engine.log);
    },

    sender(engine) {
      const s = setup(engine);
      return slackSender(engine, s.tokens, s.clients);
    },

    async startWorker(engine) {
      if (!env.SLACK_APP_TOKEN) return;
      const app = setup(engine).bolt(new SocketModeReceiver({ appToken: env.SLACK_APP_TOKEN, logger: boltLogger(engine.log) }));
      // Connecting may take long or fail while Slack is unreachable; the rest of the worker goes on.
      app.start().catch((e: unknown) => engine.log.error({ err: String(e) }, 'slack socket mode failed to start'));
    },

    // Where requests are handled: the person named before, the answer sent after, from the event's address.
    complete: (engine, ev) => setup(engine).answers.complete(ev),
    answer: (engine, ev, replies) => setup(engine).answers.answer(ev, replies),

    async stop() {
      await Promise.allSettled(apps.map((a) => a.stop()));
      await shared?.responseUrls.close();
    },
  };
}
