import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  discrepanciesPage,
  findSource,
  sourcesPage,
  type Citation,
  type DiscrepancyView,
  type ListPage,
  type Paged,
  type SourceView,
} from '@ledger/read-models';
import { LEDGER_DB, NotFound, type LedgerDb } from '../ledger-database';

export class ListSources extends Query<Paged<SourceView>> {
  constructor(readonly page: ListPage) {
    super();
  }
}

/** Sources in id order, a page at a time. */
@QueryHandler(ListSources)
export class ListSourcesHandler implements IQueryHandler<ListSources> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  async execute({ page }: ListSources): Promise<Paged<SourceView>> {
    return sourcesPage(this.db, page);
  }
}

export class GetSource extends Query<SourceView & { citations: Citation[] }> {
  constructor(readonly id: string) {
    super();
  }
}

/** A source with every event that cites it; NotFound for an unknown id. */
@QueryHandler(GetSource)
export class GetSourceHandler implements IQueryHandler<GetSource> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  async execute({ id }: GetSource): Promise<SourceView & { citations: Citation[] }> {
    const source = await findSource(this.db, id);
    if (!source) throw new NotFound('source', id);
    return source;
  }
}

export class ListDiscrepancies extends Query<Paged<DiscrepancyView>> {
  constructor(readonly page: ListPage) {
    super();
  }
}

@QueryHandler(ListDiscrepancies)
export class ListDiscrepanciesHandler implements IQueryHandler<ListDiscrepancies> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  async execute({ page }: ListDiscrepancies): Promise<Paged<DiscrepancyView>> {
    return discrepanciesPage(this.db, page);
  }
}
