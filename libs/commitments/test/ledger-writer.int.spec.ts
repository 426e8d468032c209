import { ListProgrammes, RegisterProgrammeCommand, RegisterSourceCommand, type WriteContext } from '../src';
import { openLedger, pauseDecision, type LedgerFixture } from './ledger-fixture';

const writer: WriteContext = { recordedBy: 'test-writer' };
const cite = { sources: ['ec-feb'], effectiveOn: '2025-02-11' };
const programme = (id: string) => new RegisterProgrammeCommand({ id, name: id, aliases: [], parent: null, owners: [], ...cite }, writer);

/** `promise`, or a rejection once `ms` have passed without it settling. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer!: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// A write holds a pooled connection and the append lock while it decides. Writes that came after it
// in the same process wait in memory for their turn, not on the lock with a connection each: with a
// pool of two, one held write and five waiting ones must still leave a connection for a read.
describe('writes of one process waiting for the append lock', () => {
  let ledger: LedgerFixture;

  beforeAll(async () => {
    ledger = await openLedger({ poolSize: 2 });
    await ledger.commands.execute(
      new RegisterSourceCommand(
        { id: 'ec-feb', publisher: 'Publisher', title: 'Title', language: 'en', publishedOn: '2025-02-11', url: null, origin: 'ec-feb' },
        writer,
      ),
    );
  });
  afterAll(() => ledger.close());

  it('leave a connection for reads, and all go through once the first is done', async () => {
    const ids = ['held', 'next-1', 'next-2', 'next-3', 'next-4', 'next-5'];
    const first = pauseDecision('stream', (stream) => stream.endsWith('held'));
    try {
      const writes = ids.map((id) => ledger.commands.execute(programme(id)));
      await first.reached;
      const read = ledger.queries.execute(new ListProgrammes({ limit: 10 }));
      if (ledger.kind === 'postgres') {
        // Without the queue the second write would take the other connection and wait on the lock.
        expect((await within(read, 5000)).items).toEqual([]);
      }
      // PGlite has one connection, serving every query in turn: the read waits for the held write.
      first.release();
      const written = await within(Promise.all(writes), 10_000);
      expect(written.map((result) => result.stream)).toEqual(ids.map((id) => `programme-${id}`));
      await read;
      const listed = await ledger.queries.execute(new ListProgrammes({ limit: 10 }));
      expect(listed.items.map((item) => item.id).sort()).toEqual(ids);
    } finally {
      first.restore();
    }
  });
});
