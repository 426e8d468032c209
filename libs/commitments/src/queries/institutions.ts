import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { findInstitution, institutionBalance, listInstitutions, type At, type InstitutionBalance, type InstitutionView } from '@ledger/read-models';
import { LEDGER_DB, NotFound, type LedgerDb } from '../ledger-database';

export class ListInstitutions extends Query<InstitutionView[]> {}

@QueryHandler(ListInstitutions)
export class ListInstitutionsHandler implements IQueryHandler<ListInstitutions> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  execute(): Promise<InstitutionView[]> {
    return listInstitutions(this.db);
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
    if (!(await findInstitution(this.db, id))) throw new NotFound('institution', id);
    return institutionBalance(this.db, id, at);
  }
}
