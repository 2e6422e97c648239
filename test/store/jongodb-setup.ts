import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    jongodbUri: string | null;
  }
}

/** The in-process MongoDB-wire server from the lockfile (a native binary); null where this platform has none. */
function jongodbBinary(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('@jongodb/memory-server-bin-linux-x64-gnu/package.json');
    const bin = join(dirname(pkg), 'bin', 'jongodb');
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    }).on('error', reject);
  });

/** Starts a jongodb server on a free port (the binary prints its URI once it listens); null where none is installed. */
export async function startJongodb(args: string[]): Promise<{ uri: string; stop: () => void } | null> {
  const bin = jongodbBinary();
  if (!bin) return null;
  const port = await freePort();
  const proc: ChildProcess = spawn(bin, [`--port=${port}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /JONGODB_URI=(\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    proc.on('exit', (code) => reject(new Error(`jongodb exited with ${code} before it listened: ${out.slice(0, 500)}`)));
  });
  return { uri, stop: () => proc.kill('SIGTERM') };
}

let server: { uri: string; stop: () => void } | null = null;

/** Starts one single-node replica set for the whole run, so the Mongo engine's repositories execute in every `npm test`. */
export async function setup(project: TestProject): Promise<void> {
  server = process.env.MONGODB_URI ? null : await startJongodb(['--topology-profile=singleNodeReplicaSet', '--replica-set-name=rs0']);
  project.provide('jongodbUri', server?.uri ?? null);
}

export function teardown(): void {
  server?.stop();
}
