import { DomainError, type Quantity } from '@ledger/domain';
import {
  AnnounceCommitmentCommand,
  RegisterInstitutionCommand,
  RegisterProgrammeCommand,
  RegisterSourceCommand,
  ReviseCommitmentCommand,
  type WriteContext,
} from '../src';
import { openLedger, pauseDecision, type LedgerFixture } from './ledger-fixture';

const writer: WriteContext = { recordedBy: 'test-writer' };
const cite = { sources: ['ec-feb'], effectiveOn: '2025-02-11' };
const eur = (amount: string): Quantity => ({ unit: 'EUR', low: amount, high: amount, qualifier: 'exact' });

// The domain tests check the rule against the parts the in-memory ledger hands the decision; this
// checks that the handler loads a whole's parts from the database too.
describe('revising a commitment through its handler', () => {
  let ledger: LedgerFixture;

  beforeAll(async () => {
    ledger = await openLedger();
    const steps = [
      new RegisterSourceCommand(
        { id: 'ec-feb', publisher: 'Publisher', title: 'Title', language: 'en', publishedOn: '2025-02-11', url: null, origin: 'ec-feb' },
        writer,
      ),
      new RegisterInstitutionCommand({ id: 'european-commission', name: 'European Commission', kind: 'eu-institution', country: null, aliases: [], ...cite }, writer),
      new RegisterProgrammeCommand({ id: 'investai', name: 'InvestAI', aliases: [], parent: null, owners: [], ...cite }, writer),
      ...[
        { id: 'whole', quantity: eur('100'), partOf: null },
        { id: 'part', quantity: eur('60'), partOf: 'whole' },
        { id: 'contested-whole', quantity: eur('100'), partOf: null },
      ].map(
        (commitment) =>
          new AnnounceCommitmentCommand(
            { programme: 'investai', pledgers: ['european-commission'], announcedBy: 'european-commission', kind: 'pledge', horizon: null, ...commitment, ...cite },
            writer,
          ),
      ),
    ];
    for (const step of steps) await ledger.commands.execute(step);
  });
  afterAll(() => ledger.close());

  it('refuses to revise a whole below one of its parts', async () => {
    const revision = new ReviseCommitmentCommand('whole', { quantity: eur('50'), reason: 'smaller figure', ...cite }, writer);
    const refused = await ledger.commands.execute(revision).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('part-exceeds-whole');
  });

  // The part and the revision write different streams, so no stream version can tell them apart:
  // each decision must read the journal as it stands when its events are appended. Here the
  // revision reads the whole's parts, then waits while the part is announced by another process
  // (one process's writes also take turns in memory; across processes only the database's append
  // lock keeps them apart).
  it('does not let a part be announced into a whole that a revision is shrinking below it', async () => {
    const announce = (id: string, amount: string) =>
      new AnnounceCommitmentCommand(
        {
          id, programme: 'investai', pledgers: ['european-commission'], announcedBy: 'european-commission', kind: 'pledge', horizon: null,
          quantity: eur(amount), partOf: 'contested-whole', ...cite,
        },
        writer,
      );
    const revision = pauseDecision('partsOf', (id) => id === 'contested-whole');
    const outcome = (promise: Promise<unknown>) => promise.then(() => 'written', (error: unknown) => error);
    const other = await ledger.anotherProcess();
    try {
      const revised = outcome(ledger.commands.execute(new ReviseCommitmentCommand('contested-whole', { quantity: eur('50'), reason: 'smaller figure', ...cite }, writer)));
      await revision.reached;
      const part = outcome(other.commands.execute(announce('contested-part', '80')));
      // Long enough for the part's write to finish if nothing holds it back.
      await new Promise((resolve) => setTimeout(resolve, 300));
      revision.release();
      expect(await revised).toBe('written');
      const refused = await part;
      expect(refused).toBeInstanceOf(DomainError);
      expect((refused as DomainError).code).toBe('part-exceeds-whole');
    } finally {
      revision.restore();
      await other.close();
    }
  });
});
