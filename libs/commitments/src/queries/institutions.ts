import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  findInstitution,
  institutionBalance,
  institutionsPage,
  type At,
  type InstitutionBalance,
  type InstitutionView,
  type ListPage,
  type Paged,
} from '@ledger/read-models';
import { LEDGER_DB, NotFound, type LedgerDb } from '../ledger-database';

export class ListInstitutions extends Query<Paged<InstitutionView>> {
  constructor(readonly page: ListPage) {
    super();
  }
}

/** Institutions in id order, a page at a time. */
@QueryHandler(ListInstitutions)
export class ListInstitutionsHandler implements IQueryHandler<ListInstitutions> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  async execute({ page }: ListInstitutions): Promise<Paged<InstitutionView>> {
    return institutionsPage(this.db, page);
  }
}

export class GetInstitution extends Query<InstitutionView> {
  constructor(readonly id: string) {
    super();
  }
}

/** @throws NotFound for an institution never registered. */
@QueryHandler(GetInstitution)
export class GetInstitutionHandler implements IQueryHandler<GetInstitution> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  async execute({ id }: GetInstitution): Promise<InstitutionView> {
    const institution = await findInstitution(this.db, id);
    if (!institution) throw new NotFound('institution', id);
    return institution;
  }
}

export class GetInstitutionBalance extends Query<InstitutionBalance> {
  constructor(
    readonly id: string,
    readonly at: At,
  ) {
    super();
  }
}

/** What an institution has pledged alone and jointly at a point; NotFound for an unknown id. */
@QueryHandler(GetInstitutionBalance)
export class GetInstitutionBalanceHandler implements IQueryHandler<GetInstitutionBalance> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  async execute({ id, at }: GetInstitutionBalance): Promise<InstitutionBalance> {
    const balance = await institutionBalance(this.db, id, at);
    if (!balance) throw new NotFound('institution', id);
    return balance;
  }
}
