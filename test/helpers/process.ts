import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../adapters/main.ts', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

/** Runs `npm start` as a real child process (what a PaaS runs), waiting until /healthz answers. */
export async function startProcess(env: Record<string, string>, args: string[] = []): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`process exited: ${stderr}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url, exited };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`process did not become healthy: ${stderr}`);
}

/** Runs a process without HTTP (`--role worker`), ready once it logs that it started. */
export async function startWorkerProcess(env: Record<string, string>): Promise<{ child: ChildProcess; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--role', 'worker'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  await new Promise<void>((ok, fail) => {
    const seen = (d: Buffer) => {
      out += d;
      if (/"msg":"started"/.test(out)) ok();
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', (d) => (out += d));
    void exited.then(() => fail(new Error(`worker exited: ${out}`)));
  });
  return { child, exited };
}
