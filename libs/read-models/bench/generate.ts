import { appendToStreams, type NewEvent, type StoreDb } from '@ledger/event-store';

/**
 * A synthetic ledger of the size the balance benchmark asks for: programmes in a tree, institutions,
 * commitments with parts and joint pledgers, and a long tail of corroborations, revisions and
 * withdrawals with effective dates out of order. Deterministic (seeded), written straight to the
 * journal in large appends: the benchmark measures reads and projection, not the command path.
 */
export interface GeneratedLedger {
  readonly programmes: string[];
  readonly institutions: string[];
  readonly commitments: number;
  readonly events: number;
}

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function generateLedger(
  db: StoreDb,
  size: { programmes: number; institutions: number; commitments: number; events: number },
  onProgress?: (written: number) => void,
): Promise<GeneratedLedger> {
  const rand = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const day = () => {
    const date = new Date(Date.UTC(2020, 0, 1) + Math.floor(rand() * 6 * 365) * 86_400_000);
    return rand() < 0.1 ? date.toISOString().slice(0, 7) : date.toISOString().slice(0, 10);
  };
  const envelope = (effectiveOn: string) => ({ effectiveOn, sources: ['bench-source'], recordedBy: 'bench' });

  let pending: { stream: string; events: NewEvent[] }[] = [];
  let pendingCount = 0;
  let written = 0;
  const flush = async () => {
    if (pendingCount === 0) return;
    await appendToStreams(db, { streams: pending.map(({ stream, events }) => ({ stream, expected: 'any', events })) });
    written += pendingCount;
    pending = [];
    pendingCount = 0;
    onProgress?.(written);
  };
  const emit = async (stream: string, type: string, data: Record<string, unknown>, effectiveOn: string) => {
    pending.push({ stream, events: [{ type, data: data as never, metadata: envelope(effectiveOn) }] });
    pendingCount += 1;
    if (pendingCount >= 1000) await flush();
  };

  await emit('source-bench-source', 'SourceRegistered', {
    id: 'bench-source', publisher: 'Bench', title: 'Generated', language: 'en', publishedOn: '2020-01-01', url: null, origin: 'bench',
  }, '2020-01-01');
  const institutions = Array.from({ length: size.institutions }, (_, index) => `inst-${index}`);
  for (const id of institutions) {
    await emit(`institution-${id}`, 'InstitutionRegistered', { id, name: id, kind: 'company', country: null, aliases: [] }, '2020-01-01');
  }
  const programmes: string[] = [];
  const roots = Math.max(1, Math.floor(size.programmes / 10));
  for (let index = 0; index < size.programmes; index += 1) {
    const id = `prog-${index}`;
    const parent = index < roots ? null : programmes[Math.floor(rand() * programmes.length)]!;
    programmes.push(id);
    await emit(`programme-${id}`, 'ProgrammeRegistered', { id, name: id, aliases: [], parent, owners: [] }, '2020-01-01');
  }

  const units = ['EUR', 'EUR', 'EUR', 'USD', 'ai-factory'];
  const state: { id: string; unit: string; high: bigint; pledgers: string[]; withdrawn: boolean }[] = [];
  const quantity = (unit: string, cap?: bigint) => {
    const base = BigInt(1 + Math.floor(rand() * 1_000_000)) * 1000n;
    const high = cap !== undefined && cap > 1n && base > cap ? cap : base;
    if (rand() < 0.05) return { q: { unit, qualifier: 'unquantified' }, high: 0n };
    if (rand() < 0.2) return { q: { unit, low: (high / 2n).toString(), high: high.toString(), qualifier: 'range' }, high };
    return { q: { unit, low: high.toString(), high: high.toString(), qualifier: pick(['exact', 'about', 'up-to', 'at-least']) }, high };
  };
  const remaining = () => size.events - written - pendingCount;
  for (let index = 0; index < size.commitments; index += 1) {
    const id = `c-${index}`;
    const parent = state.length > 0 && rand() < 0.2 ? pick(state) : undefined;
    const usable = parent && !parent.withdrawn && parent.high > 0n ? parent : undefined;
    const unit = usable?.unit ?? pick(units);
    const { q, high } = quantity(unit, usable?.high);
    const pledgers = rand() < 0.2 ? [pick(institutions), pick(institutions)].filter((v, i, a) => a.indexOf(v) === i) : [pick(institutions)];
    state.push({ id, unit, high, pledgers, withdrawn: false });
    await emit(`commitment-${id}`, 'CommitmentAnnounced', {
      id, programme: pick(programmes), pledgers, announcedBy: pledgers[0]!, kind: 'pledge', quantity: q,
      partOf: usable?.id ?? null, horizon: null,
    }, day());
    // Interleave the tail of later events with announcements, so streams spread over the log.
    const tail = Math.floor((remaining() - (size.commitments - index - 1)) / Math.max(1, size.commitments - index));
    for (let step = 0; step < tail; step += 1) {
      const target = pick(state);
      if (target.withdrawn) continue;
      const roll = rand();
      if (roll < 0.45) {
        await emit(`commitment-${target.id}`, 'CommitmentRevised', {
          commitment: target.id, quantity: quantity(target.unit, target.high).q, pledgers: target.pledgers, reason: 'bench',
        }, day());
      } else if (roll < 0.97) {
        await emit(`commitment-${target.id}`, 'CommitmentCorroborated', {
          commitment: target.id, quantity: { unit: target.unit, qualifier: 'unquantified' },
        }, day());
      } else {
        target.withdrawn = true;
        await emit(`commitment-${target.id}`, 'CommitmentWithdrawn', { commitment: target.id, reason: 'bench' }, day());
      }
    }
  }
  await flush();
  return { programmes, institutions, commitments: size.commitments, events: written };
}
