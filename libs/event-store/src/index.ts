export {
  appendToStreams,
  head,
  isInChain,
  iterateAll,
  lockAppends,
  readAll,
  readEvent,
  readStream,
  readStreams,
  iterateStreams,
  streamVersion,
  verifyChain,
} from './event-store';
export type { Page, StoreDb } from './event-store';
export { catchUp, checkpointOf } from './subscription';
export type { CatchUpResult, Subscription } from './subscription';
export { ConcurrencyError, IdempotencyConflict } from './errors';
export { findIdempotentResult } from './idempotency';
export { canonicalJson, sha256Hex, GENESIS_HASH } from './canonical';
export { newEventId } from './event-id';
export type { EventStoreTables } from './schema';
export type * from './types';
