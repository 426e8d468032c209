import {
  commitmentStateOf,
  programmeStateOf,
  registrationStateOf,
  streams,
  type CommitmentState,
  type ProgrammeState,
  type RecordedLedgerEvent,
  type RegistrationState,
} from '@ledger/domain';
import { readEvent, readStream, readStreams } from '@ledger/event-store';
import { journal, toLedgerEvent } from '@ledger/read-models';
import type { LedgerDb } from './ledger-database';

/** One stream's events, and the version it is at (0 when it has none). */
export async function readLedgerStream(db: LedgerDb, stream: string): Promise<{ events: RecordedLedgerEvent[]; version: number }> {
  const events = (await readStream(journal(db), stream)).map(toLedgerEvent);
  return { events, version: events.at(-1)?.version ?? 0 };
}

/**
 * Loads what decisions need. States are folded from the journal's streams, never from the read
 * models, and each comes with the stream version it was read at, which is what the append then
 * expects. The parts of a whole are the one exception: which commitments they are comes from the
 * `rm_commitments` projection, which every append updates in its own transaction, so it holds
 * exactly what the journal has committed (the parts' states are still folded from their streams).
 */
export class LedgerStates {
  /** `db` is the transaction a write decides and appends in (see LedgerWriter). */
  constructor(private readonly db: LedgerDb) {}

  stream(stream: string): Promise<{ events: RecordedLedgerEvent[]; version: number }> {
    return readLedgerStream(this.db, stream);
  }

  async commitment(id: string): Promise<{ state: CommitmentState; version: number }> {
    const { events, version } = await this.stream(streams.commitment(id));
    return { state: commitmentStateOf(events), version };
  }

  async programme(id: string): Promise<ProgrammeState> {
    return programmeStateOf((await this.stream(streams.programme(id))).events);
  }

  /** The events of many streams, in one query, by stream. */
  private async eventsByStream(names: readonly string[]): Promise<Map<string, RecordedLedgerEvent[]>> {
    const byStream = new Map<string, RecordedLedgerEvent[]>();
    if (names.length === 0) return byStream;
    for (const event of await readStreams(journal(this.db), names)) {
      byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), toLedgerEvent(event)]);
    }
    return byStream;
  }

  /** Registration states of many entities of one kind, in one query. */
  async registrations(stream: (id: string) => string, ids: readonly string[]): Promise<Map<string, RegistrationState>> {
    const unique = [...new Set(ids)];
    const byStream = await this.eventsByStream(unique.map(stream));
    return new Map(unique.map((id) => [id, registrationStateOf(byStream.get(stream(id)) ?? [])]));
  }

  sources(ids: readonly string[]): Promise<Map<string, RegistrationState>> {
    return this.registrations(streams.source, ids);
  }

  institutions(ids: readonly string[]): Promise<Map<string, RegistrationState>> {
    return this.registrations(streams.institution, ids);
  }

  /**
   * The standing direct parts of a commitment, so a revision cannot shrink a whole below a part.
   * Their ids come from `rm_commitments` (see the class comment); their states from their streams.
   */
  async partsOf(id: string): Promise<CommitmentState[]> {
    const rows = await this.db.selectFrom('rm_commitments').select('id').where('part_of', '=', id).execute();
    const byStream = await this.eventsByStream(rows.map((row) => streams.commitment(row.id)));
    return rows.map((row) => commitmentStateOf(byStream.get(streams.commitment(row.id)) ?? [])).filter((state) => state.exists);
  }

  async event(eventId: string): Promise<RecordedLedgerEvent | undefined> {
    const event = await readEvent(journal(this.db), eventId);
    return event && toLedgerEvent(event);
  }
}
