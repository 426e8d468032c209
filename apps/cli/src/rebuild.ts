import { rebuildReadModels } from '@ledger/read-models';
import { openConfiguredDatabase, runCommand } from './open';

// npm run rebuild: replays the journal into fresh read-model tables and swaps them in, showing
// progress on the terminal. The server may keep running meanwhile.
runCommand(async () => {
  const database = await openConfiguredDatabase();
  try {
    const interactive = process.stderr.isTTY;
    let lastPrinted = 0;
    const result = await rebuildReadModels(database.db, {
      onProgress: ({ position, head, elapsedMs }) => {
        const now = Date.now();
        if (!interactive && now - lastPrinted < 1000 && position < head) return;
        lastPrinted = now;
        const percent = head === 0 ? 100 : Math.min(100, Math.floor((position / head) * 100));
        const rate = Math.round(position / Math.max(elapsedMs / 1000, 0.001));
        const line = `rebuild: ${position}/${head} events (${percent}%), ${rate} events/s`;
        process.stderr.write(interactive ? `\r${line}` : `${line}\n`);
      },
    });
    if (interactive) process.stderr.write('\n');
    const rate = Math.round(result.events / Math.max(result.elapsedMs / 1000, 0.001));
    process.stdout.write(`rebuilt the read models from ${result.events} events in ${result.elapsedMs} ms (${rate} events/s)\n`);
  } finally {
    await database.close();
  }
});
