import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  allInstitutionBalances,
  allProgrammeBalances,
  grandTotal,
  type At,
  type InstitutionBalance,
  type ProgrammeBalance,
  type Totals,
} from '@ledger/read-models';
import { LEDGER_DB, type LedgerDb } from '../ledger-database';

export interface AllBalances {
  readonly balances: ProgrammeBalance[] | InstitutionBalance[];
  readonly grandTotal: Totals;
}

export class GetAllBalances extends Query<AllBalances> {
  constructor(
    readonly by: 'programme' | 'institution',
    readonly at: At,
  ) {
    super();
  }
}

/** Every balance at once, with the grand total that counts each root commitment once. */
@QueryHandler(GetAllBalances)
export class GetAllBalancesHandler implements IQueryHandler<GetAllBalances> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  async execute({ by, at }: GetAllBalances): Promise<AllBalances> {
    const balances = by === 'programme' ? await allProgrammeBalances(this.db, at) : await allInstitutionBalances(this.db, at);
    return { balances, grandTotal: await grandTotal(this.db, at) };
  }
}
