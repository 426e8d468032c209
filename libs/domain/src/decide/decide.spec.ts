import { DomainError, type DomainErrorCode } from '../errors';
import { initialCommitmentState, initialRegistrationState } from '../state';
import { announcement, eur, registeredLedger } from '../testing/fixtures';
import type { InMemoryLedger, LedgerCommand } from '../testing/in-memory-ledger';
import { decideReverseEntry } from './index';

/** Then: the decision is refused with this code. */
function expectRefused(decide: () => unknown, code: DomainErrorCode): void {
  let thrown: unknown;
  try {
    decide();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(DomainError);
  expect((thrown as DomainError).code).toBe(code);
}

const cite = { sources: ['ec-feb'], effectiveOn: '2025-02-11' };
const announce = (ledger: InMemoryLedger, overrides: Parameters<typeof announcement>[0]) =>
  ledger.execute({ kind: 'AnnounceCommitment', body: announcement(overrides) });
const revise = (commitment: string, body: Partial<Extract<LedgerCommand, { kind: 'ReviseCommitment' }>['body']>): LedgerCommand => ({
  kind: 'ReviseCommitment',
  commitment,
  body: { reason: 'new figure', ...cite, ...body },
});

describe('registering sources, institutions and programmes', () => {
  it('registers a source that cites itself from its publication date', () => {
    const ledger = registeredLedger();
    const decided = ledger.decide({
      kind: 'RegisterSource',
      body: { id: 'le-monde', publisher: 'Le Monde', title: 'IA', language: 'fr', publishedOn: '2025-02', url: 'https://example.org/a', origin: 'afp-1' },
    });
    expect(decided).toEqual({
      stream: 'source-le-monde',
      events: [
        {
          type: 'SourceRegistered',
          data: { id: 'le-monde', publisher: 'Le Monde', title: 'IA', language: 'fr', publishedOn: '2025-02', url: 'https://example.org/a', origin: 'afp-1' },
        },
      ],
      sources: ['le-monde'],
      effectiveOn: '2025-02',
    });
  });

  it('refuses a source id twice', () => {
    const ledger = registeredLedger();
    expectRefused(
      () =>
        ledger.decide({
          kind: 'RegisterSource',
          body: { id: 'ec-feb', publisher: 'P', title: 'T', language: 'en', publishedOn: '2025-02-11', url: null, origin: 'x' },
        }),
      'already-registered',
    );
  });

  it('refuses a source that cites an unknown source', () => {
    const ledger = registeredLedger();
    expectRefused(
      () =>
        ledger.decide({
          kind: 'RegisterSource',
          body: { id: 'new', publisher: 'P', title: 'T', language: 'en', publishedOn: '2025-02-11', url: null, origin: 'x', sources: ['nowhere'] },
        }),
      'unknown-source',
    );
  });

  it('registers an institution, once', () => {
    const ledger = registeredLedger();
    const command: LedgerCommand = {
      kind: 'RegisterInstitution',
      body: { id: 'uae', name: 'United Arab Emirates', kind: 'government', country: 'AE', aliases: ['EAU'], ...cite },
    };
    expect(ledger.decide(command).events).toEqual([
      { type: 'InstitutionRegistered', data: { id: 'uae', name: 'United Arab Emirates', kind: 'government', country: 'AE', aliases: ['EAU'] } },
    ]);
    ledger.execute(command);
    expectRefused(() => ledger.decide(command), 'already-registered');
  });

  it('refuses an institution citing an unknown source', () => {
    const ledger = registeredLedger();
    expectRefused(
      () => ledger.decide({ kind: 'RegisterInstitution', body: { id: 'uae', name: 'UAE', kind: 'government', country: null, aliases: [], sources: ['x'], effectiveOn: '2025-02' } }),
      'unknown-source',
    );
  });

  it('registers a component programme under a registered parent', () => {
    const ledger = registeredLedger();
    const decided = ledger.decide({
      kind: 'RegisterProgramme',
      body: { id: 'genai4eu', name: 'GenAI4EU', aliases: [], parent: 'ai-gigafactories', owners: ['european-commission'], ...cite },
    });
    expect(decided.events).toEqual([
      { type: 'ProgrammeRegistered', data: { id: 'genai4eu', name: 'GenAI4EU', aliases: [], parent: 'ai-gigafactories', owners: ['european-commission'] } },
    ]);
  });

  it.each([
    ['an existing id', { id: 'investai', parent: null, owners: [] }, 'already-registered'],
    ['an unknown parent', { id: 'x', parent: 'nowhere', owners: [] }, 'unknown-programme'],
    ['itself as parent', { id: 'x', parent: 'x', owners: [] }, 'programme-cycle'],
    ['an unknown owner', { id: 'x', parent: null, owners: ['nobody'] }, 'unknown-institution'],
  ] as const)('refuses a programme with %s', (_, body, code) => {
    const ledger = registeredLedger();
    expectRefused(() => ledger.decide({ kind: 'RegisterProgramme', body: { name: 'X', aliases: [], ...cite, ...body, owners: [...body.owners] } }), code);
  });
});

describe('announcing a commitment', () => {
  it('records the announcement as stated', () => {
    const ledger = registeredLedger();
    const decided = ledger.decide({
      kind: 'AnnounceCommitment',
      body: announcement({ id: 'investai-mobilisation', pledgers: ['european-commission', 'eib-group'], kind: 'mobilisation-target', horizon: 'by 2030' }),
    });
    expect(decided).toEqual({
      stream: 'commitment-investai-mobilisation',
      events: [
        {
          type: 'CommitmentAnnounced',
          data: {
            id: 'investai-mobilisation',
            programme: 'investai',
            pledgers: ['european-commission', 'eib-group'],
            announcedBy: 'european-commission',
            kind: 'mobilisation-target',
            quantity: eur('200000000000'),
            partOf: null,
            horizon: 'by 2030',
          },
        },
      ],
      ...cite,
    });
  });

  it('refuses an id announced before, even when that announcement was reversed', () => {
    const ledger = registeredLedger();
    const [announced] = announce(ledger, { id: 'c' });
    expectRefused(() => ledger.decide({ kind: 'AnnounceCommitment', body: announcement({ id: 'c' }) }), 'already-registered');
    ledger.execute({ kind: 'ReverseEntry', eventId: announced!.eventId, body: { reason: 'wrong programme' } });
    expectRefused(() => ledger.decide({ kind: 'AnnounceCommitment', body: announcement({ id: 'c' }) }), 'already-registered');
  });

  it.each([
    ['an unknown programme', { programme: 'nowhere' }, 'unknown-programme'],
    ['an unknown pledger', { pledgers: ['european-commission', 'nobody'] }, 'unknown-institution'],
    ['an unknown announcer', { announcedBy: 'nobody' }, 'unknown-institution'],
    ['an unknown source', { sources: ['ec-feb', 'rumour'] }, 'unknown-source'],
    ['an unknown whole', { partOf: 'nowhere' }, 'unknown-commitment'],
    ['itself as whole', { partOf: 'c' }, 'part-of-cycle'],
  ] as const)('refuses %s', (_, overrides, code) => {
    const ledger = registeredLedger();
    expectRefused(() => ledger.decide({ kind: 'AnnounceCommitment', body: announcement({ id: 'c', ...overrides, pledgers: [...(overrides as { pledgers?: string[] }).pledgers ?? ['european-commission']], sources: [...(overrides as { sources?: string[] }).sources ?? ['ec-feb']] }) }), code);
  });

  it('takes a part ("of which") up to the whole, in the same unit', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'whole' });
    expect(ledger.decide({ kind: 'AnnounceCommitment', body: announcement({ id: 'part', partOf: 'whole', quantity: eur('200000000000') }) }).events).toHaveLength(1);
    expect(
      ledger.decide({ kind: 'AnnounceCommitment', body: announcement({ id: 'part', partOf: 'whole', quantity: { unit: 'EUR', qualifier: 'unquantified' } }) }).events,
    ).toHaveLength(1);
  });

  it('refuses a part above its whole', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'whole', quantity: eur('20', '30') });
    expectRefused(
      () => ledger.decide({ kind: 'AnnounceCommitment', body: announcement({ id: 'part', partOf: 'whole', quantity: eur('10', '30.5') }) }),
      'part-exceeds-whole',
    );
  });

  it('refuses a part in another unit than its whole', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'whole' });
    expectRefused(
      () =>
        ledger.decide({
          kind: 'AnnounceCommitment',
          body: announcement({ id: 'part', partOf: 'whole', quantity: { unit: 'USD', low: '1', high: '1', qualifier: 'exact' } }),
        }),
      'unit-mismatch',
    );
  });

  it('bounds a part by its whole as it stood on the part’s own date', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'whole', quantity: eur('100') });
    ledger.execute(revise('whole', { quantity: eur('50'), effectiveOn: '2025-12' }));
    expect(ledger.decide({ kind: 'AnnounceCommitment', body: announcement({ id: 'p', partOf: 'whole', quantity: eur('80'), effectiveOn: '2025-03' }) }).events).toHaveLength(1);
    expectRefused(
      () => ledger.decide({ kind: 'AnnounceCommitment', body: announcement({ id: 'p', partOf: 'whole', quantity: eur('80'), effectiveOn: '2025-12-04' }) }),
      'part-exceeds-whole',
    );
  });

  it('accepts any figure under an unquantified whole', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'whole', quantity: { unit: 'EUR', qualifier: 'unquantified' } });
    expect(ledger.decide({ kind: 'AnnounceCommitment', body: announcement({ id: 'p', partOf: 'whole', quantity: eur('9') }) }).events).toHaveLength(1);
  });
});

describe('corroborating a commitment', () => {
  const corroborate = (quantity: ReturnType<typeof eur>, effectiveOn = '2025-02-12'): LedgerCommand => ({
    kind: 'CorroborateCommitment',
    commitment: 'c',
    body: { quantity, sources: ['eib-dec'], effectiveOn },
  });

  it('cites the same figure, whatever its spelling', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c' });
    expect(ledger.decide(corroborate(eur('200000000000'))).events).toEqual([
      { type: 'CommitmentCorroborated', data: { commitment: 'c', quantity: eur('200000000000') } },
    ]);
  });

  it('refuses a figure that differs from the recorded one', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c' });
    expectRefused(() => ledger.decide(corroborate(eur('20000000000'))), 'corroboration-differs');
    expectRefused(() => ledger.decide(corroborate({ ...eur('200000000000'), qualifier: 'about' })), 'corroboration-differs');
  });

  it('refuses a figure in another unit', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c' });
    expectRefused(() => ledger.decide(corroborate({ unit: 'USD', low: '200000000000', high: '200000000000', qualifier: 'exact' })), 'unit-mismatch');
  });

  it('compares with the figure in force on the corroboration’s date', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c', quantity: { unit: 'ai-gigafactory', low: '4', high: '4', qualifier: 'exact' } });
    ledger.execute(revise('c', { quantity: { unit: 'ai-gigafactory', low: '5', high: '5', qualifier: 'up-to' }, effectiveOn: '2025-12-04' }));
    const four = { unit: 'ai-gigafactory', low: '4', high: '4', qualifier: 'exact' } as const;
    expect(ledger.decide({ kind: 'CorroborateCommitment', commitment: 'c', body: { quantity: four, sources: ['ec-feb'], effectiveOn: '2025-02-12' } }).events).toHaveLength(1);
    expectRefused(
      () => ledger.decide({ kind: 'CorroborateCommitment', commitment: 'c', body: { quantity: four, sources: ['ec-feb'], effectiveOn: '2025-12-05' } }),
      'corroboration-differs',
    );
  });

  it('refuses an unknown or withdrawn commitment, and an unknown source', () => {
    const ledger = registeredLedger();
    expectRefused(() => ledger.decide(corroborate(eur('200000000000'))), 'unknown-commitment');
    announce(ledger, { id: 'c' });
    expectRefused(
      () => ledger.decide({ kind: 'CorroborateCommitment', commitment: 'c', body: { quantity: eur('200000000000'), sources: ['rumour'], effectiveOn: '2025-03' } }),
      'unknown-source',
    );
    ledger.execute({ kind: 'WithdrawCommitment', commitment: 'c', body: { reason: 'cancelled', ...cite } });
    expectRefused(() => ledger.decide(corroborate(eur('200000000000'))), 'commitment-withdrawn');
  });
});

describe('revising a commitment', () => {
  it('states the whole resulting level when only the quantity changes', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c', pledgers: ['european-commission', 'eib-group'] });
    expect(ledger.decide(revise('c', { quantity: eur('150000000000'), effectiveOn: '2025-06' })).events).toEqual([
      {
        type: 'CommitmentRevised',
        data: { commitment: 'c', quantity: eur('150000000000'), pledgers: ['european-commission', 'eib-group'], reason: 'new figure' },
      },
    ]);
  });

  it('states the whole resulting level when only the pledgers change, from the figure in force on that date', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c' });
    ledger.execute(revise('c', { quantity: eur('300'), effectiveOn: '2026-01-01' }));
    expect(ledger.decide(revise('c', { pledgers: ['eib-group'], effectiveOn: '2025-06-01' })).events).toEqual([
      { type: 'CommitmentRevised', data: { commitment: 'c', quantity: eur('200000000000'), pledgers: ['eib-group'], reason: 'new figure' } },
    ]);
  });

  it('accepts a revision that changes nothing', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c' });
    expect(ledger.decide(revise('c', { quantity: eur('200000000000') })).events).toHaveLength(1);
  });

  it('refuses an unknown commitment, a reversed announcement, or a withdrawn commitment', () => {
    const ledger = registeredLedger();
    expectRefused(() => ledger.decide(revise('c', { quantity: eur('1') })), 'unknown-commitment');
    const [announced] = announce(ledger, { id: 'c' });
    ledger.execute({ kind: 'ReverseEntry', eventId: announced!.eventId, body: { reason: 'mistake' } });
    expectRefused(() => ledger.decide(revise('c', { quantity: eur('1') })), 'unknown-commitment');
    announce(ledger, { id: 'd' });
    ledger.execute({ kind: 'WithdrawCommitment', commitment: 'd', body: { reason: 'cancelled', ...cite } });
    expectRefused(() => ledger.decide(revise('d', { quantity: eur('1') })), 'commitment-withdrawn');
  });

  it('refuses another unit, an unknown pledger or source', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c' });
    expectRefused(() => ledger.decide(revise('c', { quantity: { unit: 'USD', qualifier: 'unquantified' } })), 'unit-mismatch');
    expectRefused(() => ledger.decide(revise('c', { pledgers: ['nobody'] })), 'unknown-institution');
    expectRefused(() => ledger.decide(revise('c', { pledgers: ['eib-group'], sources: ['rumour'] })), 'unknown-source');
  });

  it('refuses a part revised above its whole, and a whole revised below a part', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'whole', quantity: eur('100') });
    announce(ledger, { id: 'part', quantity: eur('60'), partOf: 'whole' });
    expectRefused(() => ledger.decide(revise('part', { quantity: eur('101') })), 'part-exceeds-whole');
    expectRefused(() => ledger.decide(revise('whole', { quantity: eur('59.99') })), 'part-exceeds-whole');
    expect(ledger.decide(revise('whole', { quantity: eur('60') })).events).toHaveLength(1);
  });
});

describe('withdrawing a commitment', () => {
  it('withdraws once', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c' });
    const withdraw: LedgerCommand = { kind: 'WithdrawCommitment', commitment: 'c', body: { reason: 'cancelled', sources: ['eib-dec'], effectiveOn: '2026-03-01' } };
    expect(ledger.decide(withdraw).events).toEqual([{ type: 'CommitmentWithdrawn', data: { commitment: 'c', reason: 'cancelled' } }]);
    ledger.execute(withdraw);
    expectRefused(() => ledger.decide(withdraw), 'commitment-withdrawn');
  });

  it('refuses an unknown commitment', () => {
    const ledger = registeredLedger();
    expectRefused(() => ledger.decide({ kind: 'WithdrawCommitment', commitment: 'c', body: { reason: 'x', ...cite } }), 'unknown-commitment');
  });

  it('lets a reversed withdrawal revive the commitment', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c' });
    const [withdrawn] = ledger.execute({ kind: 'WithdrawCommitment', commitment: 'c', body: { reason: 'x', ...cite } });
    ledger.execute({ kind: 'ReverseEntry', eventId: withdrawn!.eventId, body: { reason: 'wrong commitment' } });
    expect(ledger.decide(revise('c', { quantity: eur('1') })).events).toHaveLength(1);
  });
});

describe('agreements and discrepancies', () => {
  const mou = (overrides: object = {}): LedgerCommand => ({
    kind: 'SignAgreement',
    body: { id: 'mou', kind: 'memorandum-of-understanding', parties: ['european-commission', 'eib-group'], programmes: ['ai-gigafactories'], ...cite, ...overrides },
  });

  it('records an agreement once', () => {
    const ledger = registeredLedger();
    expect(ledger.decide(mou()).events).toEqual([
      { type: 'AgreementSigned', data: { id: 'mou', kind: 'memorandum-of-understanding', parties: ['european-commission', 'eib-group'], programmes: ['ai-gigafactories'] } },
    ]);
    ledger.execute(mou());
    expectRefused(() => ledger.decide(mou()), 'already-registered');
  });

  it('refuses unknown parties, programmes and sources in an agreement', () => {
    const ledger = registeredLedger();
    expectRefused(() => ledger.decide(mou({ parties: ['nobody'] })), 'unknown-institution');
    expectRefused(() => ledger.decide(mou({ programmes: ['nowhere'] })), 'unknown-programme');
    expectRefused(() => ledger.decide(mou({ sources: ['rumour'] })), 'unknown-source');
  });

  const discrepancy = (overrides: object = {}): LedgerCommand => ({
    kind: 'NoteDiscrepancy',
    body: {
      id: 'count',
      commitment: 'c',
      field: 'quantity',
      accounts: [
        { value: '4', sources: ['ec-feb'] },
        { value: 'up to 5', sources: ['eib-dec'] },
      ],
      note: 'a later retelling',
      sources: ['eib-dec'],
      effectiveOn: '2025-12-04',
      ...overrides,
    },
  });

  it('records a discrepancy once, with both accounts', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c' });
    expect(ledger.decide(discrepancy()).events[0]).toMatchObject({ type: 'DiscrepancyNoted', data: { id: 'count', commitment: 'c' } });
    ledger.execute(discrepancy());
    expectRefused(() => ledger.decide(discrepancy()), 'already-registered');
  });

  it('refuses a discrepancy about an unknown commitment or citing an unknown source', () => {
    const ledger = registeredLedger();
    expectRefused(() => ledger.decide(discrepancy()), 'unknown-commitment');
    expectRefused(
      () => ledger.decide(discrepancy({ commitment: null, accounts: [{ value: '4', sources: ['ec-feb'] }, { value: '5', sources: ['rumour'] }] })),
      'unknown-source',
    );
  });
});

describe('reversing an entry', () => {
  it('names the reversed event and takes its date and sources', () => {
    const ledger = registeredLedger();
    const [revised] = (announce(ledger, { id: 'c' }), ledger.execute(revise('c', { quantity: eur('1'), sources: ['eib-dec'], effectiveOn: '2025-12' })));
    expect(ledger.decide({ kind: 'ReverseEntry', eventId: revised!.eventId, body: { reason: 'typo' } })).toEqual({
      stream: 'commitment-c',
      events: [{ type: 'EntryReversed', data: { eventId: revised!.eventId, reversedType: 'CommitmentRevised', reason: 'typo' } }],
      sources: ['eib-dec'],
      effectiveOn: '2025-12',
    });
  });

  it('refuses an unknown event', () => {
    expectRefused(
      () => decideReverseEntry('00000000-0000-4000-8000-000000000999', { reason: 'x' }, { target: undefined, stream: [] }),
      'unknown-event',
    );
  });

  it('refuses to reverse a registration or a reversal', () => {
    const ledger = registeredLedger();
    for (const registration of ledger.events) {
      expectRefused(() => ledger.decide({ kind: 'ReverseEntry', eventId: registration.eventId, body: { reason: 'x' } }), 'not-reversible');
    }
    const [announced] = announce(ledger, { id: 'c' });
    const [reversal] = ledger.execute({ kind: 'ReverseEntry', eventId: announced!.eventId, body: { reason: 'x' } });
    expectRefused(() => ledger.decide({ kind: 'ReverseEntry', eventId: reversal!.eventId, body: { reason: 'x' } }), 'not-reversible');
  });

  it('refuses to reverse the same event twice', () => {
    const ledger = registeredLedger();
    const [announced] = announce(ledger, { id: 'c' });
    ledger.execute({ kind: 'ReverseEntry', eventId: announced!.eventId, body: { reason: 'x' } });
    expectRefused(() => ledger.decide({ kind: 'ReverseEntry', eventId: announced!.eventId, body: { reason: 'again' } }), 'already-reversed');
  });
});

describe('states', () => {
  it('start empty', () => {
    expect(initialRegistrationState.registered).toBe(false);
    expect(initialCommitmentState.exists).toBe(false);
  });
});
