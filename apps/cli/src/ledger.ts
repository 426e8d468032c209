import { parseArgs } from 'node:util';
import { CalendarDateSchema, InstantSchema, type Total } from '@ledger/domain';
import { GetCommitmentHistory, GetCommitmentHistoryHandler, type LedgerDb } from '@ledger/commitments';
import {
  institutionBalance,
  programmeBalance,
  type At,
} from '@ledger/read-models';
import { openConfiguredDatabase, runCommand } from './open';

const USAGE = `usage:
  npm run ledger -- balance <programme|institution> --as-of <YYYY-MM-DD> [--known-at <RFC 3339 instant>]
  npm run ledger -- history <commitment>`;

/** Left-aligned columns, wide enough for their longest cell. */
function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function totalsTable(totals: readonly Total[]): string {
  if (totals.length === 0) return '(nothing in effect)';
  return table(
    ['unit', 'low', 'high', 'commitments', 'qualifiers'],
    totals.map((total) => [total.unit, total.low, total.high, String(total.commitments), total.qualifiers.join(',')]),
  );
}

function parseAt(values: { 'as-of'?: string; 'known-at'?: string }): At {
  const asOf = values['as-of'];
  if (!asOf || !CalendarDateSchema.safeParse(asOf).success) throw new Error(`--as-of needs a calendar date (YYYY-MM-DD)\n${USAGE}`);
  const knownAt = values['known-at'];
  if (knownAt !== undefined && !InstantSchema.safeParse(knownAt).success) {
    throw new Error(`--known-at needs an RFC 3339 instant with Z or an offset\n${USAGE}`);
  }
  return { asOf, knownAt: (knownAt === undefined ? new Date() : new Date(knownAt)).toISOString() };
}

async function balance(db: LedgerDb, id: string, at: At): Promise<string> {
  const heading = (kind: string) => `${id} (${kind}) as of ${at.asOf}, as known at ${at.knownAt}`;
  const result = await programmeBalance(db, id, at);
  if (result) {
    const parts = [heading('programme'), totalsTable(result.totals), `unquantified commitments left out: ${result.unquantified}`];
    for (const component of result.components) {
      parts.push('', `component ${component.programme}`, totalsTable(component.totals), `unquantified: ${component.unquantified}`);
    }
    return parts.join('\n');
  }
  const pledged = await institutionBalance(db, id, at);
  if (pledged) {
    return [heading('institution'), 'alone', totalsTable(pledged.alone), '', 'jointly', totalsTable(pledged.jointly),
      `unquantified commitments left out: ${pledged.unquantified}`].join('\n');
  }
  throw new Error(`${id} is neither a registered programme nor a registered institution`);
}

async function history(db: LedgerDb, id: string): Promise<string> {
  const entries = await new GetCommitmentHistoryHandler(db).execute(new GetCommitmentHistory(id));
  const quantity = (value: (typeof entries)[number]['quantityAfter']) =>
    value === null ? '-' : value.qualifier === 'unquantified' ? `${value.unit} unquantified`
      : value.low === value.high ? `${value.qualifier} ${value.low} ${value.unit}` : `${value.low}..${value.high} ${value.unit}`;
  return table(
    ['pos', 'version', 'event', 'effective', 'recorded at', 'by', 'sources', 'before', 'after'],
    entries.map((entry) => [String(entry.position), String(entry.version), entry.type, entry.effectiveOn, entry.recordedAt,
      entry.recordedBy, entry.sources.join(','), quantity(entry.quantityBefore), quantity(entry.quantityAfter)]),
  );
}

runCommand(async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'as-of': { type: 'string' }, 'known-at': { type: 'string' } },
  });
  const [command, id] = positionals;
  if (!id || (command !== 'balance' && command !== 'history')) throw new Error(USAGE);
  const database = await openConfiguredDatabase();
  try {
    const db = database.db as LedgerDb;
    const output = command === 'balance' ? await balance(db, id, parseAt(values)) : await history(db, id);
    process.stdout.write(`${output}\n`);
  } finally {
    await database.close();
  }
});
