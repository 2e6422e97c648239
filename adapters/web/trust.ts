/** Who may talk to the web chat at all: pure checks on the request line and headers. */

export type WebMode = 'trial' | 'public';

const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i;
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Trial when the server listens on loopback without a WEB_CHAT_TOKEN; otherwise every call needs a credential. */
export function webMode(env: { HOST: string; WEB_CHAT_TOKEN?: string }): WebMode {
  return LOOPBACK_HOST.test(env.HOST) && !env.WEB_CHAT_TOKEN ? 'trial' : 'public';
}

/** The host name of a Host header, port dropped, lower-cased (`[::1]` keeps its brackets). */
export function hostName(host: string): string {
  const m = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(host.trim().toLowerCase());
  return m ? m[1]! : '';
}

/** A Host that is a loopback name or the host of PUBLIC_URL: anything else is a DNS-rebinding page. */
export function hostAllowed(host: string | undefined, publicUrl: string | undefined): boolean {
  if (!host) return false;
  const name = hostName(host);
  return LOOPBACK_NAMES.has(name) || (publicUrl !== undefined && name === new URL(publicUrl).hostname.toLowerCase());
}

/** No Origin (not a browser, or a same-origin GET) or our own: the request's Host, or PUBLIC_URL's origin. */
export function originAllowed(origin: string | undefined, host: string | undefined, publicUrl: string | undefined): boolean {
  if (origin === undefined) return true;
  const o = origin.toLowerCase();
  if (publicUrl !== undefined && o === new URL(publicUrl).origin.toLowerCase()) return true;
  return host !== undefined && (o === `http://${host.toLowerCase()}` || o === `https://${host.toLowerCase()}`);
}

export function isJson(contentType: string | undefined): boolean {
  return /^application\/json\s*(;|$)/i.test(contentType ?? '');
}

export function cookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}
