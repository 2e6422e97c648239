import { openSqliteStore } from '../../core/store/sqlite/engine.js';

/** One of the racing processes: waits for the start signal time, then claims the same tick. */
const [file, holder, startAt] = process.argv.slice(2) as [string, string, string];
const store = openSqliteStore(file);
while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 1));
const won = await store.system.claimTick('digest:daily', '2026-06-30T08:00:00.000Z', holder, new Date().toISOString());
process.stdout.write(won ? 'ran' : 'skipped');
await store.close();
