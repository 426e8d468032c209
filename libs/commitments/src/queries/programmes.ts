import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  findProgramme,
  programmeBalance,
  programmesPage,
  type At,
  type ListPage,
  type Paged,
  type ProgrammeBalance,
  type ProgrammeView,
} from '@ledger/read-models';
import { LEDGER_DB, NotFound, type LedgerDb } from '../ledger-database';

export class ListProgrammes extends Query<Paged<ProgrammeView>> {
  constructor(readonly page: ListPage) {
    super();
  }
}

/** Programmes in id order, a page at a time. */
@QueryHandler(ListProgrammes)
export class ListProgrammesHandler implements IQueryHandler<ListProgrammes> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  async execute({ page }: ListProgrammes): Promise<Paged<ProgrammeView>> {
    return programmesPage(this.db, page);
  }
}

export class GetProgramme extends Query<ProgrammeView & { components: string[] }> {
  constructor(readonly id: string) {
    super();
  }
}

/** @throws NotFound for a programme never registered. */
@QueryHandler(GetProgramme)
export class GetProgrammeHandler implements IQueryHandler<GetProgramme> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  async execute({ id }: GetProgramme): Promise<ProgrammeView & { components: string[] }> {
    const programme = await findProgramme(this.db, id);
    if (!programme) throw new NotFound('programme', id);
    return programme;
  }
}

export class GetProgrammeBalance extends Query<ProgrammeBalance> {
  constructor(
    readonly id: string,
    readonly at: At,
  ) {
    super();
  }
}

/** The balance of a programme and its components at a point; NotFound for an unknown id. */
@QueryHandler(GetProgrammeBalance)
export class GetProgrammeBalanceHandler implements IQueryHandler<GetProgrammeBalance> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  async execute({ id, at }: GetProgrammeBalance): Promise<ProgrammeBalance> {
    const balance = await programmeBalance(this.db, id, at);
    if (!balance) throw new NotFound('programme', id);
    return balance;
  }
}
