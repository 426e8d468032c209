export type { LedgerTables, ReadModelTables } from './schema';
export { journal } from './schema';
export { projectEvents, projectPending, targetFor, ENTITY_TYPES } from './projector';
export type { ProjectionTarget } from './projector';
export { bitemporalVersions } from './timeline';
export type { BitemporalVersion, CommitmentVersion } from './timeline';
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
