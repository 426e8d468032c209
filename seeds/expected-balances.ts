/**
 * Balances of the seeded history, worked out by hand from the articles and the rules of domain.md
 * (as made exact in docs/design.md), for tests to compare the ledger against. They are written
 * independently of any code, so a disagreement means either the code or this table is wrong and a
 * person has to look.
 *
 * Reading notes:
 * - `expect` has the shape of the balance response in api.md without the echoed subject, `asOf`
 *   and `knownAt`. Totals are listed in code-point order of their unit (upper-case currency codes
 *   and `GW` before lower-case capacity units), qualifiers sorted.
 * - `knownAt` is left out (it defaults to now, after the seeds are loaded) except where a row is
 *   about the transaction-time axis.
 * - "Today" is 2026-11-23, the day the table was written; nothing in the seeds takes effect after
 *   4 December 2025, so later dates give the same answer.
 * - Month-precision claims count from the first day of their month: the French plan's parts
 *   (February 2025), Stargate (January 2025), the first AI factories (December 2024) and the
 *   TechEU target (December 2025).
 */

export type ExpectedTotal = {
  unit: string;
  low: string;
  high: string;
  commitments: number;
  qualifiers: string[];
};

export type ExpectedProgrammeBalance = {
  totals: ExpectedTotal[];
  unquantified: number;
  components?: Array<{ programme: string; totals: ExpectedTotal[]; unquantified: number }>;
};

export type ExpectedInstitutionBalance = { alone: ExpectedTotal[]; jointly: ExpectedTotal[]; unquantified: number };

export type ExpectedGrandTotal = { totals: ExpectedTotal[]; unquantified: number };

export type ExpectedBalance =
  | { subject: { programme: string }; asOf: string; knownAt?: string; expect: ExpectedProgrammeBalance; reason: string }
  | { subject: { institution: string }; asOf: string; knownAt?: string; expect: ExpectedInstitutionBalance; reason: string }
  | { subject: { grandTotal: true }; asOf: string; knownAt?: string; expect: ExpectedGrandTotal; reason: string };

type Qualifier = 'exact' | 'up-to' | 'range';

const total = (unit: string, low: string, high: string, commitments: number, qualifiers: Qualifier[]): ExpectedTotal => ({
  unit,
  low,
  high,
  commitments,
  qualifiers,
});
const one = (unit: string, amount: string, qualifier: 'exact' | 'up-to' = 'exact'): ExpectedTotal =>
  total(unit, amount, amount, 1, [qualifier]);

const BEFORE_ANYTHING = '2024-11-30';
const TODAY = '2026-11-23';

const noGigafactoriesYet = [{ programme: 'ai-gigafactories', totals: [], unquantified: 0 }];

const investaiFebruary: ExpectedProgrammeBalance = {
  totals: [one('EUR', '200000000000'), one('ai-gigafactory', '4')],
  unquantified: 0,
  components: [
    { programme: 'ai-gigafactories', totals: [one('EUR', '20000000000'), one('ai-gigafactory', '4')], unquantified: 0 },
  ],
};

const investaiAfterMemorandum: ExpectedProgrammeBalance = {
  totals: [one('EUR', '200000000000'), one('ai-gigafactory', '5', 'up-to')],
  unquantified: 0,
  components: [
    {
      programme: 'ai-gigafactories',
      totals: [one('EUR', '20000000000'), one('ai-gigafactory', '5', 'up-to')],
      unquantified: 0,
    },
  ],
};

const grandTotalAfterMemorandum: ExpectedGrandTotal = {
  totals: [
    total('EUR', '569000000000', '569000000000', 4, ['exact']),
    one('GW', '1'),
    one('USD', '500000000000', 'up-to'),
    one('ai-factory', '19'),
    one('ai-gigafactory', '5', 'up-to'),
  ],
  unquantified: 0,
};

export const expectedBalances: ExpectedBalance[] = [
  // Before any announcement.
  {
    subject: { grandTotal: true },
    asOf: BEFORE_ANYTHING,
    expect: { totals: [], unquantified: 0 },
    reason: 'The earliest claim, the first seven AI factories, takes effect in December 2024.',
  },
  {
    subject: { programme: 'investai' },
    asOf: BEFORE_ANYTHING,
    expect: { totals: [], unquantified: 0, components: noGigafactoriesYet },
    reason: 'A registered programme with nothing in effect answers empty totals, component included.',
  },
  {
    subject: { grandTotal: true },
    asOf: TODAY,
    knownAt: '2020-01-01T00:00:00Z',
    expect: { totals: [], unquantified: 0 },
    reason: 'Transaction time: nothing had been recorded in 2020, whatever the effective dates say.',
  },

  // December 2024.
  {
    subject: { programme: 'eurohpc-ai-factories' },
    asOf: '2024-12-31',
    expect: { totals: [one('ai-factory', '7')], unquantified: 0 },
    reason: 'Seven AI factories announced in December 2024; the EUR 10bn is only vouched for from 11 February 2025.',
  },
  {
    subject: { institution: 'european-commission' },
    asOf: '2024-12-31',
    expect: { alone: [one('ai-factory', '7')], jointly: [], unquantified: 0 },
    reason: 'The Commission alone stands behind the first seven AI factories.',
  },
  {
    subject: { grandTotal: true },
    asOf: '2024-12-31',
    expect: { totals: [one('ai-factory', '7')], unquantified: 0 },
    reason: 'Only the December 2024 AI factory count is in effect.',
  },

  // January and early February 2025.
  {
    subject: { grandTotal: true },
    asOf: '2025-01-31',
    expect: { totals: [one('USD', '500000000000', 'up-to'), one('ai-factory', '7')], unquantified: 0 },
    reason: 'Stargate (January 2025) joins in USD, apart from everything else; its USD 100bn first share is not added (rules 3, 5).',
  },
  {
    subject: { programme: 'france-ai-investment' },
    asOf: '2025-02-05',
    expect: {
      totals: [total('EUR', '33000000000', '53000000000', 2, ['exact', 'range']), one('GW', '1')],
      unquantified: 1,
    },
    reason:
      'Before the EUR 109bn whole (9 Feb) its February parts stand alone: the UAE range plus Iliad add as an interval, 30+3 to 50+3 (rule 6); Mistral is counted, not summed.',
  },
  {
    subject: { grandTotal: true },
    asOf: '2025-02-05',
    expect: {
      totals: [
        total('EUR', '33000000000', '53000000000', 2, ['exact', 'range']),
        one('GW', '1'),
        one('USD', '500000000000', 'up-to'),
        one('ai-factory', '7'),
      ],
      unquantified: 1,
    },
    reason: 'With no parent in effect yet, the UAE, Iliad and Mistral plans are roots; units stay apart (rules 5, 6).',
  },

  // 10 February 2025: the French plan, before InvestAI.
  {
    subject: { programme: 'france-ai-investment' },
    asOf: '2025-02-10',
    expect: { totals: [one('EUR', '109000000000'), one('GW', '1')], unquantified: 0 },
    reason:
      'The EUR 109bn whole is in effect, so its parts (UAE 30-50bn, Iliad 3bn, Mistral unquantified) no longer count; the 1 GW has no parent (rule 3).',
  },
  {
    subject: { institution: 'france-ai-investors' },
    asOf: '2025-02-10',
    expect: { alone: [one('EUR', '109000000000')], jointly: [], unquantified: 0 },
    reason: 'The investor group pledges the EUR 109bn; naming members does not raise it.',
  },
  {
    subject: { institution: 'france' },
    asOf: '2025-02-10',
    expect: { alone: [], jointly: [], unquantified: 0 },
    reason: 'The French state announced the EUR 109bn but pledges none of the private money.',
  },
  {
    subject: { institution: 'uae' },
    asOf: '2025-02-10',
    expect: {
      alone: [total('EUR', '30000000000', '50000000000', 1, ['range']), one('GW', '1')],
      jointly: [],
      unquantified: 0,
    },
    reason: 'The UAE is not a pledger of the EUR 109bn whole, so its own 30-50bn range (an interval) and 1 GW count for it.',
  },
  {
    subject: { institution: 'iliad' },
    asOf: '2025-02-10',
    expect: { alone: [one('EUR', '3000000000')], jointly: [], unquantified: 0 },
    reason: 'Iliad pledges EUR 3bn alone; the group whole does not list Iliad as its pledger.',
  },
  {
    subject: { institution: 'mistral-ai' },
    asOf: '2025-02-10',
    expect: { alone: [], jointly: [], unquantified: 1 },
    reason: 'Mistral AI promised billions without a figure: counted as unquantified, never summed.',
  },
  {
    subject: { programme: 'investai' },
    asOf: '2025-02-10',
    expect: { totals: [], unquantified: 0, components: noGigafactoriesYet },
    reason: 'InvestAI is announced on 11 February, one day later.',
  },
  {
    subject: { programme: 'stargate' },
    asOf: '2025-02-10',
    expect: { totals: [one('USD', '500000000000', 'up-to')], unquantified: 0 },
    reason: 'The USD 100bn first deployment is part of the USD 500bn ceiling and is not added (rule 3).',
  },
  {
    subject: { institution: 'openai' },
    asOf: '2025-02-10',
    expect: { alone: [], jointly: [one('USD', '500000000000', 'up-to')], unquantified: 0 },
    reason: 'Stargate is a joint pledge of three companies, shown whole under jointly and not split (rule 4).',
  },

  // 11 February 2025: InvestAI.
  {
    subject: { programme: 'investai' },
    asOf: '2025-02-11',
    expect: investaiFebruary,
    reason:
      'EUR 200bn and four gigafactories; the EUR 20bn fund sits inside the 200bn and shows only in the component balance (rule 3).',
  },
  {
    subject: { programme: 'eurohpc-ai-factories' },
    asOf: '2025-02-11',
    expect: { totals: [one('EUR', '10000000000'), one('ai-factory', '12')], unquantified: 0 },
    reason: 'Seven factories plus five announced as coming make a level of twelve, beside the existing EUR 10bn.',
  },
  {
    subject: { institution: 'european-commission' },
    asOf: '2025-02-11',
    expect: {
      alone: [one('EUR', '200000000000'), one('ai-factory', '12'), one('ai-gigafactory', '4')],
      jointly: [],
      unquantified: 0,
    },
    reason: 'The Commission pledges the EUR 200bn and its EUR 20bn share, counted once as 200bn, not 220bn (rule 3).',
  },
  {
    subject: { grandTotal: true },
    asOf: '2025-02-11',
    expect: {
      totals: [
        total('EUR', '319000000000', '319000000000', 3, ['exact']),
        one('GW', '1'),
        one('USD', '500000000000', 'up-to'),
        one('ai-factory', '12'),
        one('ai-gigafactory', '4'),
      ],
      unquantified: 0,
    },
    reason: 'Roots only: EUR 200bn + 10bn + 109bn = 319bn; USD and capacity units are never mixed in (rules 3, 5).',
  },

  // 1 March 2025.
  {
    subject: { programme: 'investai' },
    asOf: '2025-03-01',
    expect: investaiFebruary,
    reason: 'The independent Bulgarian report of the same EUR 200bn and 20bn corroborates; it adds nothing (rule 1).',
  },
  {
    subject: { institution: 'eib-group' },
    asOf: '2025-03-01',
    expect: { alone: [], jointly: [], unquantified: 0 },
    reason: 'In February the EIB only voiced support, with no figure and no pledge.',
  },

  // Around the memorandum of 4 December 2025.
  {
    subject: { programme: 'investai' },
    asOf: '2025-12-03',
    expect: investaiFebruary,
    reason: 'The later up-to-five figure takes effect from its own source date; four still stands on 3 December.',
  },
  {
    subject: { institution: 'eib-group' },
    asOf: '2025-12-03',
    expect: { alone: [one('EUR', '250000000000')], jointly: [], unquantified: 0 },
    reason: 'The TechEU target (month precision, December 2025) counts from 1 December; the memorandum is not signed yet.',
  },
  {
    subject: { programme: 'investai' },
    asOf: '2025-12-05',
    expect: investaiAfterMemorandum,
    reason: 'The memorandum revises the gigafactory level to up to five; the Dec restatement of the EUR 20bn adds nothing (rules 1, 2).',
  },
  {
    subject: { programme: 'eurohpc-ai-factories' },
    asOf: '2025-12-05',
    expect: { totals: [one('EUR', '10000000000'), one('ai-factory', '19')], unquantified: 0 },
    reason: 'Nineteen AI factories is a level replacing twelve, not 7+12+19 or 12+19 (rule 2).',
  },
  {
    subject: { institution: 'eib-group' },
    asOf: '2025-12-05',
    expect: {
      alone: [one('EUR', '250000000000')],
      jointly: [one('ai-gigafactory', '5', 'up-to')],
      unquantified: 0,
    },
    reason: 'TechEU alone; the gigafactory count now shared with the Commission sits under jointly (rule 4).',
  },
  {
    subject: { institution: 'european-commission' },
    asOf: '2025-12-05',
    expect: {
      alone: [one('EUR', '200000000000'), one('ai-factory', '19')],
      jointly: [one('ai-gigafactory', '5', 'up-to')],
      unquantified: 0,
    },
    reason: 'The gigafactory count moves from alone to jointly when the EIB Group joins it.',
  },
  {
    subject: { programme: 'techeu' },
    asOf: '2025-12-05',
    expect: { totals: [one('EUR', '250000000000')], unquantified: 0 },
    reason: 'EUR 250bn mobilisation target by 2027.',
  },
  {
    subject: { institution: 'eurohpc-ju' },
    asOf: '2025-12-05',
    expect: { alone: [one('EUR', '10000000000')], jointly: [], unquantified: 0 },
    reason: 'The Joint Undertaking carries the existing EUR 10bn for the AI factories.',
  },
  {
    subject: { grandTotal: true },
    asOf: '2025-12-05',
    expect: grandTotalAfterMemorandum,
    reason: 'Roots only: EUR 200 + 10 + 109 + 250 = 569bn; 19 AI factories; up to 5 gigafactories; USD apart (rules 2, 3, 5).',
  },

  // Today.
  {
    subject: { programme: 'ai-gigafactories' },
    asOf: TODAY,
    expect: {
      totals: [one('EUR', '20000000000'), one('ai-gigafactory', '5', 'up-to')],
      unquantified: 0,
      components: [],
    },
    reason: 'On its own the component counts the EUR 20bn, whose parent belongs to investai, outside this set (rule 3).',
  },
  {
    subject: { programme: 'investai' },
    asOf: TODAY,
    expect: investaiAfterMemorandum,
    reason: 'Nothing after 4 December 2025 changes InvestAI.',
  },
  {
    subject: { institution: 'softbank' },
    asOf: TODAY,
    expect: { alone: [], jointly: [one('USD', '500000000000', 'up-to')], unquantified: 0 },
    reason: 'Same joint Stargate ceiling as OpenAI and Oracle, listed whole for each (rule 4).',
  },
  {
    subject: { programme: 'france-ai-investment' },
    asOf: TODAY,
    expect: { totals: [one('EUR', '109000000000'), one('GW', '1')], unquantified: 0 },
    reason: 'The EUR 109bn is not raised by its parts (rule 3).',
  },
  {
    subject: { grandTotal: true },
    asOf: TODAY,
    expect: grandTotalAfterMemorandum,
    reason: 'Unchanged since the memorandum.',
  },
];
