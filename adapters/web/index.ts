import { readFileSync } from 'node:fs';
import type { Adapter } from '../../core/index.js';
import { mountWebApi } from './api.js';
import { mountPersonas } from './personas.js';
import { answerInInbox } from './answer.js';

const page = readFileSync(new URL('./page.html', import.meta.url));
const favicon = readFileSync(new URL('./favicon.svg', import.meta.url));

/** The built-in web chat: the page at `/`, the JSON API, and an outbox "sender" that fills the inbox. */
export function webAdapter(token: string | undefined): Adapter {
  return {
    platform: 'web',
    mount(http, engine) {
      http.route('GET', '/', async () => ({
        status: 200,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:",
        },
        body: page,
      }));
      http.route('GET', '/favicon.svg', async () => ({ status: 200, headers: { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=86400' }, body: favicon }));
      mountPersonas(http, engine);
      mountWebApi(http, engine, token);
    },
    // Delivering to the web chat is storing it as sent: the page reads it back from the inbox.
    sender: () => async () => ({ ok: true }),
    answer: answerInInbox,
  };
}
