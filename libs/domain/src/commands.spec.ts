import {
  AnnounceCommitmentSchema,
  CorroborateCommitmentSchema,
  NoteDiscrepancySchema,
  RegisterInstitutionSchema,
  RegisterProgrammeSchema,
  RegisterSourceSchema,
  ReverseEntrySchema,
  ReviseCommitmentSchema,
  SignAgreementSchema,
  WithdrawCommitmentSchema,
  sourceRegistrationEnvelope,
} from './commands';
import { parseEvent, streams } from './events';

/** The request bodies of docs/api.md, as given there. */
const examples = {
  source: { id: 'ec-2025-02-11-investai', publisher: 'European Commission', title: 'InvestAI launched', language: 'en', publishedOn: '2025-02-11', url: 'https://example.org/ip-25-467', origin: 'ec-ip-25-467' },
  institution: { id: 'european-commission', name: 'European Commission', kind: 'eu-institution', country: 'EU', aliases: ['EC', 'Commission européenne'], sources: ['ec-2025-02-11-investai'], effectiveOn: '2025-02-11' },
  programme: { id: 'ai-gigafactories', name: 'AI gigafactories', aliases: [], parent: 'investai', owners: ['european-commission'], sources: ['ec-2025-02-11-investai'], effectiveOn: '2025-02-11' },
  commitment: {
    id: 'investai-gigafactory-fund',
    programme: 'ai-gigafactories',
    pledgers: ['european-commission'],
    announcedBy: 'european-commission',
    kind: 'pledge',
    quantity: { unit: 'EUR', low: '20000000000', high: '20000000000', qualifier: 'exact' },
    partOf: 'investai-mobilisation',
    horizon: null,
    sources: ['ec-2025-02-11-investai'],
    effectiveOn: '2025-02-11',
  },
  revision: { quantity: { unit: 'ai-gigafactory', low: '5', high: '5', qualifier: 'up-to' }, pledgers: ['european-commission', 'eib-group'], reason: 'MoU target', sources: ['x'], effectiveOn: '2025-12-04' },
  corroboration: { quantity: { unit: 'EUR', low: '20000000000', high: '20000000000', qualifier: 'exact' }, sources: ['x'], effectiveOn: '2025-12-04' },
  withdrawal: { reason: 'cancelled', sources: ['x'], effectiveOn: '2026-03-01' },
  agreement: { id: 'ec-eib-gigafactories-mou', kind: 'memorandum-of-understanding', parties: ['european-commission', 'eib-group'], programmes: ['ai-gigafactories'], sources: ['x'], effectiveOn: '2025-12-04' },
  discrepancy: {
    id: 'gigafactory-count-feb-2025',
    commitment: 'investai-gigafactory-count',
    field: 'quantity',
    accounts: [
      { value: '4', sources: ['x'] },
      { value: 'up to 5', sources: ['y'] },
    ],
    note: 'a later retelling of the February figure',
    sources: ['y'],
    effectiveOn: '2025-12-04',
  },
  reversal: { reason: 'entered against the wrong programme' },
};

describe('command schemas', () => {
  it.each([
    ['RegisterSource', RegisterSourceSchema, examples.source],
    ['RegisterInstitution', RegisterInstitutionSchema, examples.institution],
    ['RegisterProgramme', RegisterProgrammeSchema, examples.programme],
    ['AnnounceCommitment', AnnounceCommitmentSchema, examples.commitment],
    ['ReviseCommitment', ReviseCommitmentSchema, examples.revision],
    ['CorroborateCommitment', CorroborateCommitmentSchema, examples.corroboration],
    ['WithdrawCommitment', WithdrawCommitmentSchema, examples.withdrawal],
    ['SignAgreement', SignAgreementSchema, examples.agreement],
    ['NoteDiscrepancy', NoteDiscrepancySchema, examples.discrepancy],
    ['ReverseEntry', ReverseEntrySchema, examples.reversal],
  ] as const)('%s accepts the api.md example and refuses unknown fields', (id, schema, example) => {
    expect(schema.parse(example)).toEqual(example);
    expect(schema.safeParse({ ...example, extra: true }).success).toBe(false);
    expect(schema.meta()?.id).toBe(id);
  });

  it('requires sources and an effective date on every write but the reversal and the source itself', () => {
    for (const [schema, example] of [
      [RegisterInstitutionSchema, examples.institution],
      [AnnounceCommitmentSchema, examples.commitment],
      [ReviseCommitmentSchema, examples.revision],
      [WithdrawCommitmentSchema, examples.withdrawal],
      [SignAgreementSchema, examples.agreement],
    ] as const) {
      const { sources: _sources, ...noSources } = example;
      const { effectiveOn: _effectiveOn, ...noDate } = example;
      expect(schema.safeParse(noSources).success).toBe(false);
      expect(schema.safeParse(noDate).success).toBe(false);
      expect(schema.safeParse({ ...example, sources: [] }).success).toBe(false);
    }
    expect(sourceRegistrationEnvelope(RegisterSourceSchema.parse(examples.source))).toEqual({ sources: ['ec-2025-02-11-investai'], effectiveOn: '2025-02-11' });
  });

  it('refuses an amount given as a JSON number', () => {
    const body = { ...examples.commitment, quantity: { unit: 'EUR', low: 20000000000, high: 20000000000, qualifier: 'exact' } };
    expect(AnnounceCommitmentSchema.safeParse(body).success).toBe(false);
  });

  it('needs a quantity or pledgers in a revision, and never takes a new partOf', () => {
    const { quantity: _q, pledgers: _p, ...neither } = examples.revision;
    expect(ReviseCommitmentSchema.safeParse(neither).success).toBe(false);
    expect(ReviseCommitmentSchema.safeParse({ ...neither, pledgers: ['eib-group'] }).success).toBe(true);
    expect(ReviseCommitmentSchema.safeParse({ ...examples.revision, partOf: 'other' }).success).toBe(false);
  });

  it('refuses repeated pledgers, a pledge without pledgers, and a discrepancy with one account', () => {
    expect(AnnounceCommitmentSchema.safeParse({ ...examples.commitment, pledgers: [] }).success).toBe(false);
    expect(AnnounceCommitmentSchema.safeParse({ ...examples.commitment, pledgers: ['uae', 'uae'] }).success).toBe(false);
    expect(NoteDiscrepancySchema.safeParse({ ...examples.discrepancy, accounts: [examples.discrepancy.accounts[0]] }).success).toBe(false);
  });

  it('checks source details: BCP 47 language, http(s) URL or null, real dates', () => {
    for (const language of ['vi', 'fr', 'bg', 'en', 'en-GB']) expect(RegisterSourceSchema.safeParse({ ...examples.source, language }).success).toBe(true);
    for (const language of ['EN', 'english', 'en_GB', '']) expect(RegisterSourceSchema.safeParse({ ...examples.source, language }).success).toBe(false);
    expect(RegisterSourceSchema.safeParse({ ...examples.source, url: null }).success).toBe(true);
    expect(RegisterSourceSchema.safeParse({ ...examples.source, url: 'ftp://example.org/x' }).success).toBe(false);
    expect(RegisterSourceSchema.safeParse({ ...examples.source, url: 'javascript:alert(1)' }).success).toBe(false);
    expect(RegisterSourceSchema.safeParse({ ...examples.source, publishedOn: '2025-02-30' }).success).toBe(false);
    expect(RegisterSourceSchema.safeParse({ ...examples.source, publishedOn: '2024-12' }).success).toBe(true);
  });

  it('accepts institution kinds from the domain only, and countries as two capitals', () => {
    expect(RegisterInstitutionSchema.safeParse({ ...examples.institution, kind: 'charity' }).success).toBe(false);
    expect(RegisterInstitutionSchema.safeParse({ ...examples.institution, country: null }).success).toBe(true);
    expect(RegisterInstitutionSchema.safeParse({ ...examples.institution, country: 'fr' }).success).toBe(false);
  });
});

describe('event schemas', () => {
  it('parse a known event and refuse unknown types or fields', () => {
    expect(parseEvent('CommitmentWithdrawn', { commitment: 'c', reason: 'cancelled' })).toEqual({ type: 'CommitmentWithdrawn', data: { commitment: 'c', reason: 'cancelled' } });
    expect(() => parseEvent('CommitmentDeleted', {})).toThrow();
    expect(() => parseEvent('CommitmentWithdrawn', { commitment: 'c', reason: 'x', by: 'me' })).toThrow();
    expect(() => parseEvent('EntryReversed', { eventId: 'not-a-uuid', reversedType: 'CommitmentRevised', reason: 'x' })).toThrow();
  });

  it('name one stream per entity', () => {
    expect(streams.commitment('investai-mobilisation')).toBe('commitment-investai-mobilisation');
    expect(streams.source('s')).toBe('source-s');
    expect(streams.institution('i')).toBe('institution-i');
    expect(streams.programme('p')).toBe('programme-p');
    expect(streams.agreement('a')).toBe('agreement-a');
    expect(streams.discrepancy('d')).toBe('discrepancy-d');
  });
});
