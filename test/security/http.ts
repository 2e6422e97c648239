import { request } from 'node:http';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { TestApp } from '../helpers/app.js';
import { doorFile } from '../../core/store/sqlite/engine.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** One HTTP request with full control of Host, Origin and the client address (fetch sets some of these itself). */
export function raw(app: TestApp, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; localAddress?: string }): Promise<RawResponse> {
  const url = new URL(app.url);
  return new Promise((ok, fail) => {
    const req = request({
      host: url.hostname, port: url.port, method: opts.method ?? 'GET', path: opts.path, localAddress: opts.localAddress,
      headers: { host: url.host, ...opts.headers }, setHost: false,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          // an HTML page or an empty body
        }
        ok({ status: res.statusCode!, headers: res.headers, text, json });
      });
    });
    req.on('error', fail);
    req.end(opts.body);
  });
}

export const JSON_TYPE = { 'content-type': 'application/json' };

/** POST JSON to the web API with extra headers. */
export function postJson(app: TestApp, path: string, body: unknown, headers: Record<string, string> = {}, localAddress?: string): Promise<RawResponse> {
  return raw(app, { method: 'POST', path, headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(body), localAddress });
}

/** Every row of every table of the app's SQLite files (but the scheduler's own minute ticks), read from the files themselves: "nothing changed" compares two of these. */
export function snapshot(app: TestApp): string {
  const main = join(app.dataDir, 'crm.sqlite');
  return JSON.stringify(Object.assign({}, ...[main, doorFile(main)].map((file) => {
    const db = new Database(file, { readonly: true });
    try {
      const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'job_ticks' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
      return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t}`).all()]));
    } finally {
      db.close();
    }
  })));
}
