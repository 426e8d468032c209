import { CompiledQuery, sql, type Kysely, type RawBuilder } from 'kysely';
import {
  byCodeUnits,
  normaliseAmount,
  QUALIFIERS,
  sumAmounts,
  type At,
  type InstitutionBalance,
  type ProgrammeBalance,
  type Qualifier,
  type Total,
  type Totals,
} from '@ledger/domain';

export type { At, InstitutionBalance, ProgrammeBalance, Totals };
import type { LedgerTables } from './schema';

interface GroupRow {
  key: string;
  unit: string;
  qualifier: string;
  count: number | string;
  low: string | null;
  high: string | null;
}

/**
 * A point as SQL: values bound on each call, or references to the parameters of a statement
 * compiled once (see compiledOnce).
 */
interface PointTerms {
  readonly asOf: string | RawBuilder<unknown>;
  readonly knownAt: string | RawBuilder<unknown>;
}

/**
 * The rows of `alias` that hold at the point: both time intervals contain it. An open end is
 * 'infinity' (OPEN_END), so every comparison here is one an index can make.
 */
export function holdsAt(alias: string, at: PointTerms): RawBuilder<boolean> {
  const a = sql.raw(alias);
  return sql<boolean>`(${a}.valid_from <= ${at.asOf}::date and ${a}.valid_to > ${at.asOf}::date
    and ${a}.recorded_from <= ${at.knownAt}::timestamptz and ${a}.recorded_to > ${at.knownAt}::timestamptz)`;
}

/**
 * The partOf chain from `commitment` up to ancestor row `a` still holds at the point: every
 * commitment strictly between them was announced by knownAt and not reversed as of then.
 */
function chainHolds(commitment: RawBuilder<unknown>, ancestorDepth: RawBuilder<unknown>, at: PointTerms): RawBuilder<boolean> {
  return sql<boolean>`not exists (
    select 1 from rm_commitment_ancestors m join rm_commitments mc on mc.id = m.ancestor
     where m.commitment = ${commitment} and m.depth < ${ancestorDepth}
       and not (mc.recorded_at <= ${at.knownAt}::timestamptz and (mc.reversed_at is null or mc.reversed_at > ${at.knownAt}::timestamptz)))`;
}

/** Folds grouped (unit, qualifier) rows into totals per key; sums stay exact decimal strings. */
function totalsByKey(rows: readonly GroupRow[]): Map<string, Totals> {
  const result = new Map<string, { totals: Map<string, { lows: string[]; highs: string[]; commitments: number; qualifiers: Set<string> }>; unquantified: number }>();
  for (const row of rows) {
    const entry = result.get(row.key) ?? { totals: new Map(), unquantified: 0 };
    result.set(row.key, entry);
    const count = Number(row.count);
    if (row.qualifier === 'unquantified') {
      entry.unquantified += count;
      continue;
    }
    const total = entry.totals.get(row.unit) ?? { lows: [], highs: [], commitments: 0, qualifiers: new Set<string>() };
    total.lows.push(row.low!);
    total.highs.push(row.high!);
    total.commitments += count;
    total.qualifiers.add(row.qualifier);
    entry.totals.set(row.unit, total);
  }
  return new Map(
    [...result].map(([key, entry]) => [
      key,
      {
        unquantified: entry.unquantified,
        totals: [...entry.totals]
          .sort(([a], [b]) => byCodeUnits(a, b))
          .map(([unit, total]) => ({
            unit, low: sumAmounts(total.lows), high: sumAmounts(total.highs), commitments: total.commitments,
            qualifiers: [...total.qualifiers].sort() as Qualifier[],
          })),
      },
    ]),
  );
}

const EMPTY: Totals = { totals: [], unquantified: 0 };

/**
 * Id order as the reference fold has it, by code unit, whatever the database's default collation:
 * under a linguistic one "ai-x" would sort after "aia".
 */
const BY_ID = sql`id collate "C"`;

/**
 * For a commitment of the subtree of `top`: null when none of its wholes is in effect at the point
 * within that subtree, through a partOf chain that still holds, so "of which" lets it count there
 * (rule 3); otherwise whether such a whole lies within the subtree of `component` (a child of
 * `top`, or null for none) too, where it then does not count either.
 */
function wholeWithin(commitment: RawBuilder<unknown>, top: RawBuilder<unknown>, component: RawBuilder<unknown>, at: PointTerms): RawBuilder<boolean | null> {
  return sql<boolean | null>`(
    select bool_or(t3.programme is not null)
      from rm_commitment_ancestors a
      join rm_commitment_versions pv on pv.commitment = a.ancestor
      join rm_programme_tree t2 on t2.programme = pv.programme and t2.ancestor = ${top}
      left join rm_programme_tree t3 on t3.ancestor = ${component} and t3.programme = pv.programme
     where a.commitment = ${commitment} and ${holdsAt('pv', at)} and ${chainHolds(commitment, sql`a.depth`, at)})`;
}

/**
 * The versions in effect at the point of one programme, given by its registration position (its
 * `programme_position`, the key its versions are indexed by); "offset 0" keeps the probe per programme.
 */
function versionsOf(programmePosition: RawBuilder<unknown>, at: PointTerms): RawBuilder<unknown> {
  // One index probe per programme of the subtree: without the fence the planner prefers scanning
  // every version in effect and hash-joining, several times slower.
  return sql`(select v.commitment, v.whole_level, v.unit, v.qualifier, v.low, v.high from rm_commitment_versions v
    where v.programme_position = ${programmePosition} and ${holdsAt('v', at)} offset 0)`;
}

/**
 * Totals of every programme, each over its own subtree (rules 3, 5, 6), for the all-balances view.
 * A commitment is left out when a whole of it is in effect within the same subtree; only the few
 * whose `whole_level` says one can lie there are asked (migrations/0005).
 */
async function everyProgrammeTotals(db: Kysely<LedgerTables>, at: At): Promise<Map<string, Totals>> {
  const rows = await sql<GroupRow>`
    select tr.ancestor as key, v.unit, v.qualifier, count(*) as count, sum(v.low)::text as low, sum(v.high)::text as high
      from rm_programme_tree tr
      cross join lateral ${versionsOf(sql`tr.programme_position`, at)} v
     where v.whole_level is null or v.whole_level > tr.depth
        or ${wholeWithin(sql`v.commitment`, sql`tr.ancestor`, sql`null`, at)} is null
     group by tr.ancestor, v.unit, v.qualifier`.execute(db);
  return totalsByKey(rows.rows);
}

/**
 * The programme or institution of a single balance, and the point, as the parameters of a statement
 * compiled once: its text never varies, so it is built once and prepared once per connection
 * (building it on every call showed in profiles).
 */
const SUBJECT = sql.raw('$1::text');
const POINT: PointTerms = { asOf: sql.raw('$2'), knownAt: sql.raw('$3') };

function compiledOnce<R>(query: RawBuilder<R>): (db: Kysely<LedgerTables>, subject: string, at: At) => Promise<R[]> {
  let text: string | undefined;
  return async (db, subject, at) => {
    if (text === undefined) {
      const compiled = query.compile(db);
      // Its parameters are the caller's: a value bound at compile time would be frozen into every call.
      if (compiled.parameters.length > 0) throw new Error('a statement compiled once must take every value as a parameter');
      text = compiled.sql;
    }
    return (await db.executeQuery(CompiledQuery.raw(text, [subject, at.asOf, at.knownAt]) as CompiledQuery<R>)).rows;
  };
}

/**
 * A row of programmeBalanceRows: the totals in one unit of the programme or of one of its components
 * (`key`), or, with `components` set, the programme's components.
 */
interface ProgrammeBalanceRow {
  key: string;
  unit: string;
  commitments: number;
  low: string | null;
  high: string | null;
  qualifiers: number;
  unquantified: number;
  components: string[] | null;
}

/**
 * The qualifiers of a set of rows as one integer, bit i for QUALIFIERS[i]: a set of six travels
 * and aggregates as a number, where an ordered, distinct array_agg sorted once per group.
 */
const QUALIFIER_BITS = sql`bit_or(1 << (array_position(array[${sql.join(QUALIFIERS.map((qualifier) => sql.lit(qualifier)))}], x.qualifier) - 1))`;

function qualifiersIn(bits: number): Qualifier[] {
  return QUALIFIERS.filter((qualifier, index) => qualifier !== 'unquantified' && (bits & (1 << index)) !== 0).sort(byCodeUnits);
}

/**
 * Totals of a programme and of each of its direct components from one pass over the programme's
 * subtree, and one more row naming the programme's components (absent for a programme never
 * registered): every version in effect counts for the programme and for the component whose
 * subtree holds it, each unless a whole of it is in effect within that same subtree.
 *
 * Whether a whole is in effect there is asked only of the versions whose `whole_level` says a whole
 * can lie in the subtree at all (migrations/0005): a handful per balance, where asking it of every
 * part was most of the cost. The asking stays in a fenced subquery ("offset 0") so that it runs
 * once per version, not once for each place that reads its answer.
 *
 * Each version in effect is added up under the keys it counts for (the programme, its component)
 * in one aggregate, exact in numeric, so that the answer travels as one row per key and unit and
 * the server only reads it out.
 *
 * Components registered after knownAt were not part of the programme as the ledger knew it then.
 */
const programmeBalanceRows = compiledOnce(sql<ProgrammeBalanceRow>`
    select k.key, x.unit,
           (count(*) filter (where x.qualifier <> 'unquantified'))::int as commitments,
           sum(x.low)::text as low, sum(x.high)::text as high,
           ${QUALIFIER_BITS} as qualifiers,
           (count(*) filter (where x.qualifier = 'unquantified'))::int as unquantified,
           null::text[] as components
      from (
        select c.component, v.unit, v.qualifier, v.low, v.high,
               case when v.whole_level <= tr.depth then ${wholeWithin(sql`v.commitment`, SUBJECT, sql`c.component`, POINT)} end as whole
          from rm_programme_tree tr
          left join lateral (
            select t.ancestor as component from rm_programme_tree t join rm_programmes pr on pr.id = t.ancestor
             where t.programme = tr.programme and pr.parent = ${SUBJECT}) c on true
          cross join lateral ${versionsOf(sql`tr.programme_position`, POINT)} v
         where tr.ancestor = ${SUBJECT}
        offset 0) x
      cross join lateral (
        select ${SUBJECT} as key where x.whole is null
        union all
        select x.component where x.component is not null and x.whole is not true) k
     group by k.key, x.unit
    union all
    select pr.id, null, 0, null, null, 0, 0,
           coalesce((select array_agg(c.id order by c.id collate "C") from rm_programmes c
                      where c.parent = pr.id and c.recorded_at <= ${POINT.knownAt}::timestamptz), '{}')
      from rm_programmes pr where pr.id = ${SUBJECT}`);

/**
 * The balance of a programme and of each of its direct components; undefined for a programme never
 * registered. One statement (see compiledOnce).
 */
export async function programmeBalance(db: Kysely<LedgerTables>, programme: string, at: At): Promise<ProgrammeBalance | undefined> {
  const rows = await programmeBalanceRows(db, programme, at);
  const components = rows.find((row) => row.components !== null)?.components;
  if (!components) return undefined;
  const totals = new Map<string, { totals: Total[]; unquantified: number }>();
  for (const row of rows) {
    if (row.components !== null) continue;
    const entry = totals.get(row.key) ?? { totals: [], unquantified: 0 };
    totals.set(row.key, entry);
    entry.unquantified += row.unquantified;
    if (row.commitments > 0) {
      entry.totals.push({
        unit: row.unit, low: normaliseAmount(row.low!), high: normaliseAmount(row.high!),
        commitments: row.commitments, qualifiers: qualifiersIn(row.qualifiers),
      });
    }
  }
  const of = (key: string): Totals => {
    const entry = totals.get(key);
    return entry ? { unquantified: entry.unquantified, totals: entry.totals.sort((a, b) => byCodeUnits(a.unit, b.unit)) } : EMPTY;
  };
  return { programme, ...of(programme), components: components.map((id) => ({ programme: id, ...of(id) })) };
}

/** Every programme's balance at once, in id order. */
export async function allProgrammeBalances(db: Kysely<LedgerTables>, at: At): Promise<ProgrammeBalance[]> {
  const programmes = await db.selectFrom('rm_programmes').select(['id', 'parent'])
    .where('recorded_at', '<=', new Date(at.knownAt)).orderBy(BY_ID).execute();
  const totals = await everyProgrammeTotals(db, at);
  return programmes.map(({ id }) => ({
    programme: id,
    ...(totals.get(id) ?? EMPTY),
    components: programmes
      .filter((candidate) => candidate.parent === id)
      .map((component) => ({ programme: component.id, ...(totals.get(component.id) ?? EMPTY) })),
  }));
}

/** The pledges in effect at the point of one institution, or of all, grouped by pledger, joint, unit and qualifier. */
function institutionGroupsQuery(filter: RawBuilder<boolean>, at: PointTerms): RawBuilder<GroupRow> {
  return sql<GroupRow>`
    select p.institution || (case when p.joint then '|jointly' else '|alone' end) as key,
           p.unit, p.qualifier, count(*) as count, sum(p.low)::text as low, sum(p.high)::text as high
      from rm_pledges p
     where ${filter} and ${holdsAt('p', at)}
       and (p.part_of is null or not exists (
         select 1 from rm_commitment_ancestors a
           join rm_pledges ap on ap.commitment = a.ancestor and ap.institution = p.institution
          where a.commitment = p.commitment and ${holdsAt('ap', at)} and ${chainHolds(sql`p.commitment`, sql`a.depth`, at)}))
     group by p.institution, p.joint, p.unit, p.qualifier`;
}

function institutionFrom(institution: string, totals: Map<string, Totals>): InstitutionBalance {
  const alone = totals.get(`${institution}|alone`) ?? EMPTY;
  const jointly = totals.get(`${institution}|jointly`) ?? EMPTY;
  return { institution, alone: alone.totals, jointly: jointly.totals, unquantified: alone.unquantified + jointly.unquantified };
}

/**
 * One institution's pledges, and one more row (key null) when the institution is registered: $1 is
 * the institution, $2 asOf, $3 knownAt (see compiledOnce).
 */
const institutionBalanceRows = compiledOnce(sql<GroupRow & { key: string | null }>`
    ${institutionGroupsQuery(sql<boolean>`p.institution = ${SUBJECT}`, POINT)}
    union all
    select null, null, null, 0, null, null from rm_institutions i where i.id = ${SUBJECT}`);

/** What an institution has pledged alone and jointly (rules 3 and 4); undefined for one never registered. */
export async function institutionBalance(db: Kysely<LedgerTables>, institution: string, at: At): Promise<InstitutionBalance | undefined> {
  const rows = await institutionBalanceRows(db, institution, at);
  if (!rows.some((row) => row.key === null)) return undefined;
  return institutionFrom(institution, totalsByKey(rows.filter((row): row is GroupRow => row.key !== null)));
}

export async function allInstitutionBalances(db: Kysely<LedgerTables>, at: At): Promise<InstitutionBalance[]> {
  const institutions = await db.selectFrom('rm_institutions').select('id')
    .where('recorded_at', '<=', new Date(at.knownAt)).orderBy(BY_ID).execute();
  const totals = totalsByKey((await institutionGroupsQuery(sql<boolean>`true`, at).execute(db)).rows);
  return institutions.map(({ id }) => institutionFrom(id, totals));
}

/** The grand total: every commitment in effect with no ancestor in effect, counted once. */
export async function grandTotal(db: Kysely<LedgerTables>, at: At): Promise<Totals> {
  const rows = await sql<GroupRow>`
    select 'all' as key, v.unit, v.qualifier, count(*) as count, sum(v.low)::text as low, sum(v.high)::text as high
      from rm_commitment_versions v
     where ${holdsAt('v', at)}
       and (v.part_of is null or not exists (
         select 1 from rm_commitment_ancestors a
           join rm_commitment_versions pv on pv.commitment = a.ancestor
          where a.commitment = v.commitment and ${holdsAt('pv', at)} and ${chainHolds(sql`v.commitment`, sql`a.depth`, at)}))
     group by v.unit, v.qualifier`.execute(db);
  return totalsByKey(rows.rows).get('all') ?? EMPTY;
}
