/**
 * The seeded history: the five articles in shared/sources encoded as the write requests a client
 * would send to the REST API, in the order they must be applied. Each `body` is exactly the JSON
 * body of api.md for its `write` (the domain schemas are strict, so anything that is not part of a
 * body, such as a stated currency conversion, lives in the step's `note`).
 *
 * Conventions used throughout, so that a reader can check any step against the articles:
 * - A claim takes effect on the day the article says it was made. When an article gives only a
 *   month ("in December", "last month", "a few days before the summit"), the date keeps month
 *   precision rather than guessing a day.
 * - A registration (institution or programme) takes effect on the earliest date any seeded claim
 *   involving it takes effect, or else on the date of the earliest source naming it. Registrations
 *   carry no balance weight; the date only keeps the registry readable next to the claims.
 * - A commitment is announced once, citing every source of the origin that first reported it.
 *   Each further source from an independent origin that restates the same figure is a
 *   corroboration dated to that source's publication, never a second commitment (rule 1).
 * - A changed level is a revision from the date of the source that states the new level (rule 2).
 *
 * This module imports nothing so that any loader, test or script can read it.
 */

export type SeedWrite =
  | 'source'
  | 'institution'
  | 'programme'
  | 'commitment'
  | 'corroboration'
  | 'revision'
  | 'withdrawal'
  | 'agreement'
  | 'discrepancy';

export type SeedStep = {
  write: SeedWrite;
  /** The target commitment of a corroboration, revision or withdrawal (the `{id}` of its path). */
  commitment?: string;
  /** The JSON body of the request, as api.md defines it. */
  body: object;
  /** Why the step reads as it does, for people; never sent to the API. */
  note?: string;
};

// The local shapes below only let the compiler catch a misspelt field in this file; the API's own
// zod schemas remain the authority on what a body may contain.

type Quantity =
  | { unit: string; low: string; high: string; qualifier: 'exact' | 'about' | 'up-to' | 'at-least' | 'range' }
  | { unit: string; qualifier: 'unquantified' };

type Cited = { sources: string[]; effectiveOn: string };

type SourceBody = Cited & {
  id: string;
  publisher: string;
  title: string;
  language: string;
  publishedOn: string;
  url: string | null;
  origin: string;
};

type InstitutionBody = Cited & {
  id: string;
  name: string;
  kind: 'eu-institution' | 'eu-body' | 'bank' | 'government' | 'company' | 'investment-fund' | 'group';
  country: string | null;
  aliases: string[];
};

type ProgrammeBody = Cited & { id: string; name: string; aliases: string[]; parent: string | null; owners: string[] };

type CommitmentBody = Cited & {
  id: string;
  programme: string;
  pledgers: string[];
  announcedBy: string;
  kind: 'mobilisation-target' | 'pledge' | 'commitment' | 'capacity';
  quantity: Quantity;
  partOf: string | null;
  horizon: string | null;
};

type CorroborationBody = Cited & { quantity: Quantity };
type RevisionBody = Cited & { quantity: Quantity; pledgers: string[]; reason: string };
type AgreementBody = Cited & { id: string; kind: string; parties: string[]; programmes: string[] };
type DiscrepancyBody = Cited & {
  id: string;
  commitment: string | null;
  field: string;
  accounts: Array<{ value: string; sources: string[] }>;
  note: string;
};

const source = (body: SourceBody, note?: string): SeedStep => ({ write: 'source', body, note });
const institution = (body: InstitutionBody, note?: string): SeedStep => ({ write: 'institution', body, note });
const programme = (body: ProgrammeBody, note?: string): SeedStep => ({ write: 'programme', body, note });
const commitment = (body: CommitmentBody, note?: string): SeedStep => ({ write: 'commitment', body, note });
const corroboration = (target: string, body: CorroborationBody, note?: string): SeedStep => ({
  write: 'corroboration',
  commitment: target,
  body,
  note,
});
const revision = (target: string, body: RevisionBody, note?: string): SeedStep => ({
  write: 'revision',
  commitment: target,
  body,
  note,
});
const agreement = (body: AgreementBody, note?: string): SeedStep => ({ write: 'agreement', body, note });
const discrepancy = (body: DiscrepancyBody, note?: string): SeedStep => ({ write: 'discrepancy', body, note });

const exact = (unit: string, amount: string): Quantity => ({ unit, low: amount, high: amount, qualifier: 'exact' });
const upTo = (unit: string, amount: string): Quantity => ({ unit, low: amount, high: amount, qualifier: 'up-to' });
const range = (unit: string, low: string, high: string): Quantity => ({ unit, low, high, qualifier: 'range' });
const unquantified = (unit: string): Quantity => ({ unit, qualifier: 'unquantified' });

/** Source ids, named once so that every citation below points at a registered source. */
export const SOURCE_IDS = {
  /** 000: Vietnamese retelling of the VietnamPlus InvestAI story. */
  investaiVi: 'haiquan-2025-02-investai-vi',
  /** 001: Vietnamese report of the EC-EIB memorandum on AI gigafactories. */
  gigafactoryMouVi: 'ngaynay-2025-12-ec-eib-gigafactories-vi',
  /** 002: the French edition of the VietnamPlus InvestAI story. */
  investaiFr: 'vietnamplus-2025-02-11-investai-fr',
  /** 003: Vietnamese report of France's EUR 109bn plan, retelling CNBC. */
  franceAiVi: 'vn-outlet-2025-02-france-ai-investment-vi',
  /** 004: Bulgarian report of the InvestAI launch. */
  investaiBg: 'profit-bg-2025-02-11-investai-bg',
} as const;

/** The Vietnamese headline of the VietnamPlus InvestAI story, misspelling included. */
const VIETNAMPLUS_HEADLINE_VI = 'Liên minh châu Âu ra mắt sáng kiến InvesAI với nguồn vốn hơn 206 tỷ USD';

/**
 * VietnamPlus addresses an article by its Vietnamese headline with the diacritics dropped, followed
 * by the article number. The French page gives that address; it is derived here from the headline
 * so that the headline is written down only once.
 */
function plainSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const S = SOURCE_IDS;
/** The VietnamPlus InvestAI story: its French original edition and a Vietnamese republication. */
const VIETNAMPLUS = [S.investaiFr, S.investaiVi];

const sources: SeedStep[] = [
  source(
    {
      id: S.investaiFr,
      publisher: 'VietnamPlus',
      title: 'The European Union launches the InvesAI initiative, financed with more than USD 206 billion',
      language: 'fr',
      publishedOn: '2025-02-11',
      url: `https://www.vietnamplus.vn/${plainSlug(VIETNAMPLUS_HEADLINE_VI)}-post1011807.vnp`,
      origin: 'vietnamplus-2025-02-11-investai',
      sources: [S.investaiFr],
      effectiveOn: '2025-02-11',
    },
    'The page carries its date (11/02/2025) and the address of the Vietnamese original, the only URL any of the five texts gives. The headline is translated and keeps the InvesAI misspelling.',
  ),
  source(
    {
      id: S.investaiVi,
      publisher: 'Báo Hải quan',
      title: VIETNAMPLUS_HEADLINE_VI,
      language: 'vi',
      publishedOn: '2025-02',
      url: null,
      origin: 'vietnamplus-2025-02-11-investai',
      sources: [S.investaiVi],
      effectiveOn: '2025-02',
    },
    'The text names no publisher; its section labels (customs, tax, world news) are those of the Vietnamese customs newspaper. It has the same headline (kept untranslated as its title) and body as the VietnamPlus story, so it shares that origin. It states no publication date: the event it reports is 11 February and its related-article list runs to 14 February 2025, so only the month is certain.',
  ),
  source(
    {
      id: S.franceAiVi,
      publisher: 'Unidentified Vietnamese news site',
      title: 'France announces EUR 109 billion of private investment in artificial intelligence',
      language: 'vi',
      publishedOn: '2025-02',
      url: null,
      origin: 'cnbc-2025-02-france-ai-investment',
      sources: [S.franceAiVi],
      effectiveOn: '2025-02',
    },
    'The text has neither headline nor publisher, so the title describes it. It credits CNBC for its interviews and follows that network\'s report, hence the origin. It calls 9 February a past day and the Paris summit still ahead, which places it in February 2025; month precision is what the text supports.',
  ),
  source(
    {
      id: S.investaiBg,
      publisher: 'Profit.bg',
      title: 'The EU will mobilise EUR 200 billion for investment in artificial intelligence',
      language: 'bg',
      publishedOn: '2025-02-11',
      url: null,
      origin: 'profit-bg-2025-02-11-investai',
      sources: [S.investaiBg],
      effectiveOn: '2025-02-11',
    },
    'The article says the Commission President spoke "today" at the Paris summit and that the French plan came on Sunday (9 February 2025); its image is filed under profit.bg and dated 11022025. It quotes Euronews for one statement but is written independently, so it is an origin of its own. The image address is not the article address, so no URL is recorded.',
  ),
  source(
    {
      id: S.gigafactoryMouVi,
      publisher: 'Ngày Nay',
      title: 'The European Commission and the EIB sign a memorandum on AI gigafactories',
      language: 'vi',
      publishedOn: '2025-12',
      url: null,
      origin: 'vna-2025-12-04-ec-eib-gigafactories',
      sources: [S.gigafactoryMouVi],
      effectiveOn: '2025-12',
    },
    'The text has no headline, so the title describes it. It relays a Brussels correspondent of the Vietnam News Agency (TTXVN), which is the origin. It dates the signing to 4 December and calls February 2025 a past month, so the signing is 4 December 2025; the article itself states no date, so only the month is recorded.',
  ),
];

const institutions: SeedStep[] = [
  institution(
    {
      id: 'european-commission',
      name: 'European Commission',
      kind: 'eu-institution',
      country: 'EU',
      aliases: ['EC', 'CE', 'Commission européenne', 'Ủy ban châu Âu', 'Европейската комисия', 'Комисията', 'ЕК'],
      sources: [...VIETNAMPLUS, S.investaiBg, S.gigafactoryMouVi],
      effectiveOn: '2024-12',
    },
    'Dated with its first seeded claim, the December 2024 AI factory announcement. The Bulgarian article writes the name out in full; ЕК is added as the usual Bulgarian abbreviation.',
  ),
  institution(
    {
      id: 'european-union',
      name: 'European Union',
      kind: 'group',
      country: 'EU',
      aliases: ['EU', 'UE', 'ЕС', 'Liên minh châu Âu', 'Union européenne'],
      sources: [...VIETNAMPLUS, S.investaiBg, S.gigafactoryMouVi],
      effectiveOn: '2025-02-11',
    },
    'The headlines credit the Union with InvestAI, but every figure is announced by the Commission acting for it, so the Union pledges nothing in its own name here. It is a group of member states rather than one of its own institutions, hence the kind.',
  ),
  institution(
    {
      id: 'eu-member-states',
      name: 'EU member states',
      kind: 'group',
      country: 'EU',
      aliases: ['държавите членки'],
      sources: [S.investaiBg, S.gigafactoryMouVi],
      effectiveOn: '2025-02-11',
    },
    'Named as possible co-funders of the gigafactories (through cohesion funds, or as EuroHPC participants) without any figure, so they hold no commitment.',
  ),
  institution(
    {
      id: 'eib-group',
      name: 'European Investment Bank Group',
      kind: 'bank',
      country: 'EU',
      aliases: [
        'EIB',
        'BEI',
        'EIB Group',
        'Ngân hàng Đầu tư châu Âu',
        'Tập đoàn Ngân hàng Đầu tư châu Âu',
        "Banque européenne d'investissement",
      ],
      sources: [...VIETNAMPLUS, S.gigafactoryMouVi],
      effectiveOn: '2025-02-11',
    },
  ),
  institution(
    {
      id: 'eurohpc-ju',
      name: 'EuroHPC Joint Undertaking',
      kind: 'eu-body',
      country: 'EU',
      aliases: ['EuroHPC JU', 'EuroHPC', 'Liên doanh Tính toán hiệu năng cao châu Âu'],
      sources: [S.gigafactoryMouVi],
      effectiveOn: '2024-12',
    },
    'The December 2025 article names the Joint Undertaking as the body running the AI factory programme, whose first factories date from December 2024; it is dated with that programme.',
  ),
  institution(
    {
      id: 'european-ai-research-council',
      name: 'European AI Research Council',
      kind: 'eu-body',
      country: 'EU',
      aliases: ['Hội đồng Nghiên cứu AI châu Âu', 'Conseil européen de recherche en IA'],
      sources: VIETNAMPLUS,
      effectiveOn: '2025-02-11',
    },
    'The February articles say the Commission will set this council up; it is registered so that the name resolves, and it holds no commitment.',
  ),
  institution(
    {
      id: 'france',
      name: 'French Republic',
      kind: 'government',
      country: 'FR',
      aliases: ['France', 'Pháp', 'Франция'],
      sources: [S.franceAiVi, S.investaiBg],
      effectiveOn: '2025-02-09',
    },
    'The French state, speaking through President Macron, announces the EUR 109bn but pledges none of it: the money is private.',
  ),
  institution(
    {
      id: 'france-ai-investors',
      name: "Investors in France's AI investment plan",
      kind: 'group',
      country: null,
      aliases: [],
      sources: [S.franceAiVi],
      effectiveOn: '2025-02-09',
    },
    'The pledger of the EUR 109bn as a whole. Its named members (the UAE, US and Canadian funds, Iliad, Orange, Thales, Mistral AI) come from several countries, hence no country; the members\' own figures are recorded as parts of the whole.',
  ),
  institution(
    {
      id: 'uae',
      name: 'United Arab Emirates',
      kind: 'government',
      country: 'AE',
      aliases: ['UAE', 'Các Tiểu vương quốc Ả Rập Thống nhất'],
      sources: [S.franceAiVi],
      effectiveOn: '2025-02',
    },
  ),
  institution(
    {
      id: 'us-canadian-investment-funds',
      name: 'US and Canadian investment funds',
      kind: 'group',
      country: null,
      aliases: ['các quỹ đầu tư của Mỹ và Canada'],
      sources: [S.franceAiVi],
      effectiveOn: '2025-02-09',
    },
    'Named only as a class of contributors to the French plan, with no fund and no figure, so the class is one group and holds no commitment of its own.',
  ),
  institution(
    { id: 'iliad', name: 'Iliad', kind: 'company', country: 'FR', aliases: ['Tập đoàn viễn thông Iliad'], sources: [S.franceAiVi], effectiveOn: '2025-02' },
  ),
  institution(
    { id: 'orange', name: 'Orange', kind: 'company', country: 'FR', aliases: [], sources: [S.franceAiVi], effectiveOn: '2025-02-09' },
    'Named as a contributor to the French plan without a figure of its own.',
  ),
  institution(
    { id: 'thales', name: 'Thales', kind: 'company', country: 'FR', aliases: [], sources: [S.franceAiVi], effectiveOn: '2025-02-09' },
    'Named as a contributor to the French plan without a figure of its own.',
  ),
  institution(
    {
      id: 'mistral-ai',
      name: 'Mistral AI',
      kind: 'company',
      country: 'FR',
      aliases: ['Mistral'],
      sources: [S.franceAiVi, S.investaiBg],
      effectiveOn: '2025-02',
    },
  ),
  institution(
    {
      id: 'us-government',
      name: 'United States government',
      kind: 'government',
      country: 'US',
      aliases: ['Mỹ', 'САЩ', 'États-Unis'],
      sources: [S.franceAiVi, S.investaiBg],
      effectiveOn: '2025-01',
    },
    'President Trump announced Stargate; the federal government is recorded as its announcer, not as a pledger, since the money comes from the three companies.',
  ),
  institution(
    { id: 'openai', name: 'OpenAI', kind: 'company', country: 'US', aliases: [], sources: [S.franceAiVi, S.investaiBg], effectiveOn: '2025-01' },
  ),
  institution(
    { id: 'oracle', name: 'Oracle', kind: 'company', country: 'US', aliases: [], sources: [S.franceAiVi, S.investaiBg], effectiveOn: '2025-01' },
  ),
  institution(
    {
      id: 'softbank',
      name: 'SoftBank',
      kind: 'company',
      country: 'JP',
      aliases: ['Softbank'],
      sources: [S.franceAiVi, S.investaiBg],
      effectiveOn: '2025-01',
    },
  ),
];

const programmes: SeedStep[] = [
  programme(
    {
      id: 'investai',
      name: 'InvestAI',
      aliases: ['InvesAI', 'quỹ InvestAI', 'fonds InvestAI'],
      parent: null,
      owners: ['european-commission'],
      sources: [...VIETNAMPLUS, S.investaiBg, S.gigafactoryMouVi],
      effectiveOn: '2025-02-11',
    },
    'Both VietnamPlus headlines misspell the name as InvesAI; the misspelling is kept as an alias so that searches by it resolve.',
  ),
  programme({
    id: 'ai-gigafactories',
    name: 'AI gigafactories',
    aliases: [
      'nhà máy AI quy mô lớn',
      'nhà máy AI khổng lồ',
      'siêu nhà máy AI',
      "usines d'IA à grande échelle",
      "usines d'IA géantes",
      'гигафабрики за изкуствен интелект',
      'гигафабрики',
    ],
    parent: 'investai',
    owners: ['european-commission'],
    sources: [...VIETNAMPLUS, S.investaiBg, S.gigafactoryMouVi],
    effectiveOn: '2025-02-11',
  }),
  programme(
    {
      id: 'eurohpc-ai-factories',
      name: 'EuroHPC AI Factories',
      aliases: ['nhà máy AI', "usines d'IA", 'фабрики за AI'],
      parent: null,
      owners: ['european-commission', 'eurohpc-ju'],
      sources: [...VIETNAMPLUS, S.investaiBg, S.gigafactoryMouVi],
      effectiveOn: '2024-12',
    },
    'The smaller, existing AI factories are a programme of their own: the articles present the gigafactories as their successors under InvestAI, not as a share of them.',
  ),
  programme(
    { id: 'techeu', name: 'TechEU', aliases: [], parent: null, owners: ['eib-group'], sources: [S.gigafactoryMouVi], effectiveOn: '2025-12' },
  ),
  programme(
    {
      id: 'france-ai-investment',
      name: 'Private investment in AI in France',
      aliases: [],
      parent: null,
      owners: ['france'],
      sources: [S.franceAiVi, S.investaiBg],
      effectiveOn: '2025-02',
    },
    'Dated to February 2025 because its earliest parts (the UAE, Iliad and Mistral AI plans) carry month precision.',
  ),
  programme(
    {
      id: 'stargate',
      name: 'Stargate',
      aliases: [],
      parent: null,
      owners: ['openai', 'oracle', 'softbank'],
      sources: [S.franceAiVi, S.investaiBg],
      effectiveOn: '2025-01',
    },
  ),
  programme({
    id: 'horizon-europe',
    name: 'Horizon Europe',
    aliases: [],
    parent: null,
    owners: ['european-commission'],
    sources: [...VIETNAMPLUS, S.investaiBg],
    effectiveOn: '2025-02-11',
  }),
  programme({
    id: 'digital-europe',
    name: 'Digital Europe Programme',
    aliases: ['Digital Europe', 'Chương trình châu Âu Kỹ thuật số', 'programme pour une Europe numérique'],
    parent: null,
    owners: ['european-commission'],
    sources: [...VIETNAMPLUS, S.investaiBg],
    effectiveOn: '2025-02-11',
  }),
  programme({
    id: 'investeu',
    name: 'InvestEU',
    aliases: [],
    parent: null,
    owners: ['european-commission'],
    sources: [S.investaiBg, S.gigafactoryMouVi],
    effectiveOn: '2025-02-11',
  }),
  programme(
    {
      id: 'investeu-advisory-hub',
      name: 'InvestEU Advisory Hub',
      aliases: ['Trung tâm Tư vấn InvestEU'],
      parent: 'investeu',
      owners: ['european-commission', 'eib-group'],
      sources: [S.gigafactoryMouVi],
      effectiveOn: '2025-12',
    },
    'Advice rather than money: under the memorandum it helps gigafactory projects become bankable. It has no figure.',
  ),
  programme({
    id: 'genai4eu',
    name: 'GenAI4EU',
    aliases: [],
    parent: null,
    owners: ['european-commission'],
    sources: VIETNAMPLUS,
    effectiveOn: '2025-02-11',
  }),
  programme(
    {
      id: 'apply-ai',
      name: 'Apply AI',
      aliases: ['Áp dụng AI'],
      parent: null,
      owners: ['european-commission'],
      sources: VIETNAMPLUS,
      effectiveOn: '2025-02-11',
    },
    'Expected to start later in 2025 according to the February articles; a launch date is not a quantity, so it is a registry entry only.',
  ),
  programme({
    id: 'common-european-data-spaces',
    name: 'Common European Data Spaces',
    aliases: ['Không gian dữ liệu chung châu Âu', 'espace commun européen des données'],
    parent: null,
    owners: ['european-commission'],
    sources: VIETNAMPLUS,
    effectiveOn: '2025-02-11',
  }),
  programme({
    id: 'eu-cohesion-funds',
    name: 'EU cohesion funds',
    aliases: ['кохезионни фондове'],
    parent: null,
    owners: ['european-commission', 'eu-member-states'],
    sources: [S.investaiBg],
    effectiveOn: '2025-02-11',
  }),
];

const EC = 'european-commission';
const EIB = 'eib-group';
const STARGATE_PARTNERS = ['openai', 'oracle', 'softbank'];

const euClaims: SeedStep[] = [
  commitment(
    {
      id: 'eurohpc-ai-factory-count',
      programme: 'eurohpc-ai-factories',
      pledgers: [EC],
      announcedBy: EC,
      kind: 'capacity',
      quantity: exact('ai-factory', '7'),
      partOf: null,
      horizon: null,
      sources: VIETNAMPLUS,
      effectiveOn: '2024-12',
    },
    'The February articles recall that the Commission picked its first seven AI factories in December 2024; only the month is given.',
  ),
  revision(
    'eurohpc-ai-factory-count',
    {
      quantity: exact('ai-factory', '12'),
      pledgers: [EC],
      reason: 'On 11 February 2025 the Commission said five further AI factories would be named shortly, on top of the seven from December: the intended level becomes twelve.',
      sources: VIETNAMPLUS,
      effectiveOn: '2025-02-11',
    },
    'The count is one level (rule 2). Keeping the five as a separate commitment would force a later withdrawal when the December 2025 total of nineteen arrives, so the announced next wave raises the level instead.',
  ),
  corroboration(
    'eurohpc-ai-factory-count',
    { quantity: exact('ai-factory', '12'), sources: [S.investaiBg], effectiveOn: '2025-02-11' },
    'The Bulgarian report independently gives the same seven plus five.',
  ),
  commitment(
    {
      id: 'eurohpc-ai-factories-investment',
      programme: 'eurohpc-ai-factories',
      pledgers: ['eurohpc-ju'],
      announcedBy: EC,
      kind: 'commitment',
      quantity: exact('EUR', '10000000000'),
      partOf: null,
      horizon: null,
      sources: [...VIETNAMPLUS, S.gigafactoryMouVi],
      effectiveOn: '2025-02-11',
    },
    'The February articles call the EUR 10bn an investment already made, hence the firm kind, but do not date it, so it counts from the first day they vouch for it. The December article names the EuroHPC Joint Undertaking as the body that funds the AI factories, so it is the pledger; the Commission only reported the figure.',
  ),
  commitment(
    {
      id: 'investai-mobilisation',
      programme: 'investai',
      pledgers: [EC],
      announcedBy: EC,
      kind: 'mobilisation-target',
      quantity: exact('EUR', '200000000000'),
      partOf: null,
      horizon: null,
      sources: VIETNAMPLUS,
      effectiveOn: '2025-02-11',
    },
    'Announced by the Commission President at the Paris AI summit on 11 February 2025. The goal counts money others are to bring, hence a mobilisation target. Both VietnamPlus texts add a conversion of more than USD 206bn; it is a reporter\'s conversion, kept in this note and never recorded as money (rule 5).',
  ),
  corroboration(
    'investai-mobilisation',
    { quantity: exact('EUR', '200000000000'), sources: [S.investaiBg], effectiveOn: '2025-02-11' },
    'An independent report of the same EUR 200bn: one more citation, no new money (rule 1).',
  ),
  commitment(
    {
      id: 'investai-gigafactory-fund',
      programme: 'ai-gigafactories',
      pledgers: [EC],
      announcedBy: EC,
      kind: 'pledge',
      quantity: exact('EUR', '20000000000'),
      partOf: 'investai-mobilisation',
      horizon: null,
      sources: VIETNAMPLUS,
      effectiveOn: '2025-02-11',
    },
    'The new European fund for AI gigafactories is stated as included in the EUR 200bn, so it is a share of the mobilisation and never adds to it (rule 3).',
  ),
  corroboration(
    'investai-gigafactory-fund',
    { quantity: exact('EUR', '20000000000'), sources: [S.investaiBg], effectiveOn: '2025-02-11' },
    'The Bulgarian report gives the same EUR 20bn out of the 200bn.',
  ),
  commitment(
    {
      id: 'investai-gigafactory-count',
      programme: 'ai-gigafactories',
      pledgers: [EC],
      announcedBy: EC,
      kind: 'capacity',
      quantity: exact('ai-gigafactory', '4'),
      partOf: null,
      horizon: null,
      sources: VIETNAMPLUS,
      effectiveOn: '2025-02-11',
    },
    'Contemporaneous February account: the fund is to finance four gigafactories. The figure of about 100,000 chips per gigafactory is a design target for each site, not a committed total, and is not recorded.',
  ),
  commitment(
    {
      id: 'techeu-mobilisation',
      programme: 'techeu',
      pledgers: [EIB],
      announcedBy: EIB,
      kind: 'mobilisation-target',
      quantity: exact('EUR', '250000000000'),
      partOf: null,
      horizon: 'by 2027',
      sources: [S.gigafactoryMouVi],
      effectiveOn: '2025-12',
    },
    'Only the December 2025 article mentions TechEU and it does not say when the target was set, so the target counts from the month of that article instead of an invented launch date.',
  ),
  agreement(
    {
      id: 'ec-eib-gigafactories-mou',
      kind: 'memorandum-of-understanding',
      parties: [EC, EIB],
      programmes: ['ai-gigafactories'],
      sources: [S.gigafactoryMouVi],
      effectiveOn: '2025-12-04',
    },
    'Signed in Brussels on 4 December 2025 (local time). The agreement itself moves no balance; its target is the revision below.',
  ),
  revision(
    'investai-gigafactory-count',
    {
      quantity: upTo('ai-gigafactory', '5'),
      pledgers: [EC, EIB],
      reason: 'Under the memorandum of 4 December 2025 the Commission and the EIB Group pool resources for as many as five gigafactories.',
      sources: [S.gigafactoryMouVi],
      effectiveOn: '2025-12-04',
    },
    'The February figure of four still stands for February; the new level runs from the date of the source that states it. The EIB Group joins as a pledger, so from this date the count is a joint pledge (rule 4).',
  ),
  discrepancy(
    {
      id: 'gigafactory-count-feb-2025',
      commitment: 'investai-gigafactory-count',
      field: 'quantity',
      accounts: [
        { value: '4', sources: VIETNAMPLUS },
        { value: 'up to 5', sources: [S.gigafactoryMouVi] },
      ],
      note: 'The February 2025 reports give four gigafactories for the InvestAI launch; the December 2025 report says that launch promised up to five. The ledger keeps four for February and records five only from December.',
      sources: [...VIETNAMPLUS, S.gigafactoryMouVi],
      effectiveOn: '2025-12-04',
    },
  ),
  corroboration(
    'investai-gigafactory-fund',
    { quantity: exact('EUR', '20000000000'), sources: [S.gigafactoryMouVi], effectiveOn: '2025-12-04' },
    'The December 2025 article recalls the same EUR 20bn package from February: a citation, not new money (rule 1).',
  ),
  revision(
    'eurohpc-ai-factory-count',
    {
      quantity: exact('ai-factory', '19'),
      pledgers: [EC],
      reason: 'By December 2025 the EuroHPC programme counts nineteen AI factories built or under way with EU money.',
      sources: [S.gigafactoryMouVi],
      effectiveOn: '2025-12-04',
    },
    'Nineteen is a total, so it replaces the level of twelve rather than adding to it (rule 2).',
  ),
];

const franceClaims: SeedStep[] = [
  commitment(
    {
      id: 'france-ai-private-investment',
      programme: 'france-ai-investment',
      pledgers: ['france-ai-investors'],
      announcedBy: 'france',
      kind: 'pledge',
      quantity: exact('EUR', '109000000000'),
      partOf: null,
      horizon: 'in the coming years',
      sources: [S.franceAiVi],
      effectiveOn: '2025-02-09',
    },
    'President Macron announced the EUR 109bn on 9 February 2025, the eve of the Paris summit. The money is private, so the state is the announcer and the investor group the pledger. The Vietnamese text converts it to USD 112.6bn; that conversion stays in this note (rule 5).',
  ),
  corroboration(
    'france-ai-private-investment',
    { quantity: exact('EUR', '109000000000'), sources: [S.investaiBg], effectiveOn: '2025-02-11' },
    'The Bulgarian report restates the EUR 109bn plan and dates it to the Sunday before, which is 9 February 2025.',
  ),
  commitment(
    {
      id: 'france-ai-uae-datacentre',
      programme: 'france-ai-investment',
      pledgers: ['uae'],
      announcedBy: 'uae',
      kind: 'pledge',
      quantity: range('EUR', '30000000000', '50000000000'),
      partOf: 'france-ai-private-investment',
      horizon: null,
      sources: [S.franceAiVi],
      effectiveOn: '2025-02',
    },
    'The Emirates stated EUR 30bn to 50bn for an AI data centre campus in France a few days before the summit, which gives the month only. The plan lists the Emirates among its contributors, so this is a share of the EUR 109bn. As a month-precision claim it counts from 1 February, before the whole was announced; until 9 February it therefore stands on its own in every balance.',
  ),
  commitment(
    {
      id: 'france-ai-uae-datacentre-power',
      programme: 'france-ai-investment',
      pledgers: ['uae'],
      announcedBy: 'uae',
      kind: 'capacity',
      quantity: exact('GW', '1'),
      partOf: null,
      horizon: null,
      sources: [S.franceAiVi],
      effectiveOn: '2025-02',
    },
    'The same data centre is sized at one gigawatt. Capacity is not a share of a euro amount, so it has no parent and its unit stays apart (rule 5).',
  ),
  commitment(
    {
      id: 'france-ai-iliad-infrastructure',
      programme: 'france-ai-investment',
      pledgers: ['iliad'],
      announcedBy: 'iliad',
      kind: 'pledge',
      quantity: exact('EUR', '3000000000'),
      partOf: 'france-ai-private-investment',
      horizon: null,
      sources: [S.franceAiVi],
      effectiveOn: '2025-02',
    },
    'The article gives no day for the telecom group\'s EUR 3bn for AI infrastructure, only that it belongs to the February plan.',
  ),
  commitment(
    {
      id: 'france-ai-mistral-datacentre',
      programme: 'france-ai-investment',
      pledgers: ['mistral-ai'],
      announcedBy: 'mistral-ai',
      kind: 'pledge',
      quantity: unquantified('EUR'),
      partOf: 'france-ai-private-investment',
      horizon: null,
      sources: [S.franceAiVi],
      effectiveOn: '2025-02',
    },
    'Mistral AI plans to spend an unstated number of billions of euros on its own data centre in France. No figure is invented: it is counted as unquantified, never summed.',
  ),
];

const stargateClaims: SeedStep[] = [
  commitment(
    {
      id: 'stargate-investment',
      programme: 'stargate',
      pledgers: STARGATE_PARTNERS,
      announcedBy: 'us-government',
      kind: 'pledge',
      quantity: upTo('USD', '500000000000'),
      partOf: null,
      horizon: 'over four years',
      sources: [S.investaiBg],
      effectiveOn: '2025-01',
    },
    'The Bulgarian article of 11 February 2025 places the announcement in the previous month, January 2025. The three companies pledge jointly and the articles give no split, so none is invented (rule 4).',
  ),
  corroboration(
    'stargate-investment',
    { quantity: upTo('USD', '500000000000'), sources: [S.franceAiVi], effectiveOn: '2025-02' },
    'The CNBC-based report gives the same ceiling of USD 500bn over four years for the same three partners.',
  ),
  commitment(
    {
      id: 'stargate-initial-deployment',
      programme: 'stargate',
      pledgers: STARGATE_PARTNERS,
      announcedBy: 'us-government',
      kind: 'pledge',
      quantity: exact('USD', '100000000000'),
      partOf: 'stargate-investment',
      horizon: 'immediately',
      sources: [S.investaiBg],
      effectiveOn: '2025-01',
    },
    'The first USD 100bn, to be put to work at once by the new company, is the opening share of the USD 500bn and never adds to it (rule 3).',
  ),
];

/** The whole history, in an order where every id is registered before anything refers to it. */
export const seedHistory: SeedStep[] = [
  ...sources,
  ...institutions,
  ...programmes,
  ...euClaims,
  ...franceClaims,
  ...stargateClaims,
];
