export type { LedgerTables, ReadModelTables } from './schema';
export { journal } from './schema';
export { projectPending, targetFor } from './projector';
export type { ProjectionTarget } from './projector';
export { toLedgerEvent } from './events';
export {
  programmeBalance,
  allProgrammeBalances,
  institutionBalance,
  allInstitutionBalances,
  grandTotal,
} from './balances';
export type { At, Totals, ProgrammeBalance, InstitutionBalance } from './balances';
export * from './lists';
export { rebuildReadModels, READ_MODEL_TABLES } from './rebuild';
export type { RebuildProgress } from './rebuild';
