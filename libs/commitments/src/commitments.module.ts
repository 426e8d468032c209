import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AnnounceCommitmentHandler } from './announce-commitment/announce-commitment';
import { CorroborateCommitmentHandler } from './corroborate-commitment/corroborate-commitment';
import { LedgerWriter } from './ledger-writer';
import { NoteDiscrepancyHandler } from './note-discrepancy/note-discrepancy';
import { GetAllBalancesHandler } from './queries/balances';
import { GetCommitmentHandler, GetCommitmentHistoryHandler, ListCommitmentsHandler } from './queries/commitments';
import { GetInstitutionBalanceHandler, GetInstitutionHandler, ListInstitutionsHandler } from './queries/institutions';
import { GetProgrammeBalanceHandler, GetProgrammeHandler, ListProgrammesHandler } from './queries/programmes';
import { GetSourceHandler, ListDiscrepanciesHandler, ListSourcesHandler } from './queries/sources';
import { RegisterInstitutionHandler } from './register-institution/register-institution';
import { RegisterProgrammeHandler } from './register-programme/register-programme';
import { RegisterSourceHandler } from './register-source/register-source';
import { ReverseEntryHandler } from './reverse-entry/reverse-entry';
import { ReviseCommitmentHandler } from './revise-commitment/revise-commitment';
import { SeedLoader } from './seed/load-seeds';
import { SignAgreementHandler } from './sign-agreement/sign-agreement';
import { WithdrawCommitmentHandler } from './withdraw-commitment/withdraw-commitment';

/**
 * The ledger's use cases. The importing application must provide LEDGER_DB (a global module is
 * enough). Read models are projected inside each write's transaction, so nothing here listens on
 * the in-memory EventBus.
 */
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    LedgerWriter,
    SeedLoader,
    RegisterSourceHandler,
    RegisterInstitutionHandler,
    RegisterProgrammeHandler,
    AnnounceCommitmentHandler,
    CorroborateCommitmentHandler,
    ReviseCommitmentHandler,
    WithdrawCommitmentHandler,
    SignAgreementHandler,
    NoteDiscrepancyHandler,
    ReverseEntryHandler,
    ListProgrammesHandler,
    GetProgrammeHandler,
    GetProgrammeBalanceHandler,
    ListInstitutionsHandler,
    GetInstitutionHandler,
    GetInstitutionBalanceHandler,
    GetAllBalancesHandler,
    ListCommitmentsHandler,
    GetCommitmentHandler,
    GetCommitmentHistoryHandler,
    ListSourcesHandler,
    GetSourceHandler,
    ListDiscrepanciesHandler,
  ],
  exports: [SeedLoader, CqrsModule],
})
export class CommitmentsModule {}
