/** Runs calls with the same key one after another in this process (the command and the job share a tenant's fan-out). */
export function keyedLock() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const run = (tails.get(key) ?? Promise.resolve()).then(fn, fn);
    tails.set(key, run.catch(() => undefined));
    return run;
  };
}
