export * from './in-memory-ledger';
export * from './fixtures';
export * from './arbitraries';
