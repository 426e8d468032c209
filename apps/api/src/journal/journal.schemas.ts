import { z } from 'zod';
import { PageFields } from '../balances/read-params';

export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    database: z.enum(['pglite', 'postgres']),
    position: z.number().int().describe('the journal head: the position of the last event, 0 when empty'),
  })
  .meta({ id: 'Health' });

export const EventsQuerySchema = z.strictObject({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .default(0)
    .describe('a position; the page starts after it'),
  limit: PageFields.limit,
});
export type EventsQuery = z.infer<typeof EventsQuerySchema>;

export const JournalEventSchema = z
  .object({
    position: z.number().int(),
    eventId: z.string(),
    type: z.string(),
    stream: z.string(),
    version: z.number().int(),
    effectiveOn: z.string().nullable(),
    recordedAt: z.string().describe('RFC 3339 UTC'),
    recordedBy: z.string().nullable(),
    sources: z.array(z.string()),
    data: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'JournalEvent' });
export type JournalEvent = z.infer<typeof JournalEventSchema>;

export const EventsPageSchema = z
  .object({
    events: z.array(JournalEventSchema),
    next: z.number().int().nullable().describe('pass as `after` for the next page; null at the head'),
  })
  .meta({ id: 'EventsPage' });
export type EventsPage = z.infer<typeof EventsPageSchema>;

export const VerifyResultSchema = z
  .union([
    z.object({ ok: z.literal(true), events: z.number().int(), head: z.string().describe('the hash of the last event') }),
    z.object({
      ok: z.literal(false),
      events: z.number().int().describe('how many events held before the break'),
      brokenAt: z.number().int().describe('the first position where the chain does not hold'),
      reason: z.string(),
    }),
  ])
  .meta({ id: 'VerifyResult' });
export type VerifyAnswer = z.infer<typeof VerifyResultSchema>;
