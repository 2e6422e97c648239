import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { raw } from './http.js';
import { isLoopbackPeer } from '../../core/index.js';

describe('/metrics without METRICS_TOKEN', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  it('answers loopback peers', async () => {
    const r = await raw(app, { path: '/metrics' });
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/^# HELP crm_http_requests_total/m);
  });

  it.each([
    ['127.0.0.1', true], ['127.8.9.10', true], ['::1', true], ['::ffff:127.0.0.1', true],
    ['10.0.0.5', false], ['192.168.1.2', false], ['::ffff:10.0.0.5', false], ['2001:db8::1', false], ['', false],
  ])('peer %s is loopback: %s', (peer, loopback) => {
    expect(isLoopbackPeer(peer)).toBe(loopback);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  const token = 'metrics-token-0123456789';
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ METRICS_TOKEN: token });
  });
  afterAll(() => app.stop());

  it('needs the Bearer token, even from loopback', async () => {
    expect((await raw(app, { path: '/metrics' })).status).toBe(401);
    expect((await raw(app, { path: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    expect((await raw(app, { path: '/metrics', headers: { authorization: `Basic ${token}` } })).status).toBe(401);
    const ok = await raw(app, { path: '/metrics', headers: { authorization: `bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/crm_http_requests_total/);
  });
});

const lanAddress = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe.runIf(lanAddress)('/metrics from another machine', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ HOST: '0.0.0.0' });
  });
  afterAll(() => app.stop());

  it('is refused without METRICS_TOKEN', async () => {
    const res = await fetch(`http://${lanAddress}:${app.port}/metrics`);
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatch(/METRICS_TOKEN/);
    expect((await fetch(`http://127.0.0.1:${app.port}/metrics`)).status).toBe(200);
  });
});
