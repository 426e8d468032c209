export { seedHistory, SOURCE_IDS } from './history';
export type { SeedStep, SeedWrite } from './history';
export { expectedBalances } from './expected-balances';
export type { ExpectedBalance } from './expected-balances';
