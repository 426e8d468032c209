import { DomainError, type Quantity } from '@ledger/domain';
import {
  AnnounceCommitmentCommand,
  RegisterInstitutionCommand,
  RegisterProgrammeCommand,
  RegisterSourceCommand,
  ReviseCommitmentCommand,
  type WriteContext,
} from '../src';
import { openLedger, type LedgerFixture } from './ledger-fixture';

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
});
