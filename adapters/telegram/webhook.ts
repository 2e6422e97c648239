import { webhookCallback, type Bot } from 'grammy';
import type { Engine, HttpRequest, HttpResponse, HttpServer } from '../../core/index.js';
import { json } from '../../core/index.js';
import { timeoutSignal } from './abort.js';
import type { CrmContext } from './inbound.js';
import { parseUpdate } from './payloads.js';

const WEBHOOK_PATH = '/telegram/webhook';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
// Past this, Telegram gets its 200 while the update is still being handled (e.g. waiting out a 429).
const ANSWER_WITHIN_MS = 8000;
const GET_ME_MS = 5000;

class BadUpdate extends Error {}

/**
 * grammY's request/response adapter for our HttpServer: the update is the validated JSON body (a bad
 * one rejects, answered 400), the secret header is handed to grammY, which checks it and answers 401.
 */
function httpServerAdapter(req: HttpRequest) {
  let done!: (r: HttpResponse) => void;
  const handlerReturn = new Promise<HttpResponse>((ok) => (done = ok));
  const header = req.headers[SECRET_HEADER];
  return {
    // A getter: the body is read only once grammY has accepted the secret.
    get update() {
      let raw: unknown;
      try {
        raw = JSON.parse(req.body.toString('utf8'));
      } catch {
        return Promise.reject(new BadUpdate('body is not valid JSON'));
      }
      const parsed = parseUpdate(raw);
      // grammY gets the update as Telegram sent it, so its context sees every field (topics, business connections).
      return parsed.ok ? Promise.resolve(raw as never) : Promise.reject(new BadUpdate(parsed.error));
    },
    header: typeof header === 'string' ? header : undefined,
    end: () => done(json(200, {})),
    respond: (body: string) => done({ status: 200, headers: { 'content-type': 'application/json' }, body }),
    unauthorized: () => done(json(401, { error: 'missing or wrong X-Telegram-Bot-Api-Secret-Token' })),
    handlerReturn,
  };
}

/**
 * `POST /telegram/webhook` through grammY's webhookCallback: secret checked by grammY (401, nothing
 * touched), body validated (400), then the update runs through the bot's middleware. Until getMe has
 * answered, grammY cannot handle updates: 503, and Telegram delivers the update again later.
 */
export function mountWebhook(http: HttpServer, bot: Bot<CrmContext>, secret: string, engine: Engine): void {
  const handle = webhookCallback(bot, httpServerAdapter, { secretToken: secret, onTimeout: 'return', timeoutMilliseconds: ANSWER_WITHIN_MS });
  http.route('POST', WEBHOOK_PATH, async (req) => {
    if (!bot.isInited()) {
      try {
        await bot.init(timeoutSignal(GET_ME_MS));
      } catch (e) {
        engine.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'telegram getMe failed; update refused for Telegram to re-send');
        return json(503, { error: 'the bot is starting; Telegram will deliver this update again' });
      }
    }
    try {
      return (await handle(req)) as HttpResponse;
    } catch (e) {
      if (e instanceof BadUpdate) return json(400, { error: e.message });
      throw e;
    }
  });
}
