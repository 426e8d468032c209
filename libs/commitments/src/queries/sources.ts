import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  discrepanciesPage,
  findSource,
  listDiscrepancies,
  listSources,
  sourcesPage,
  type Citation,
  type DiscrepancyView,
  type ListPage,
  type Paged,
  type SourceView,
} from '@ledger/read-models';
import { LEDGER_DB, NotFound, type LedgerDb } from '../ledger-database';

export class ListSources extends Query<Paged<SourceView>> {
  /** Without a page, every source at once. */
  constructor(readonly page?: ListPage) {
    super();
  }
}

/** Sources in id order, a page at a time. */
@QueryHandler(ListSources)
export class ListSourcesHandler implements IQueryHandler<ListSources> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  async execute({ page }: ListSources): Promise<Paged<SourceView>> {
    return page ? sourcesPage(this.db, page) : { items: await listSources(this.db), next: null };
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
  /** Without a page, every discrepancy at once, in journal order; a page is in id order. */
  constructor(readonly page?: ListPage) {
    super();
  }
}

@QueryHandler(ListDiscrepancies)
export class ListDiscrepanciesHandler implements IQueryHandler<ListDiscrepancies> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  async execute({ page }: ListDiscrepancies): Promise<Paged<DiscrepancyView>> {
    return page ? discrepanciesPage(this.db, page) : { items: await listDiscrepancies(this.db), next: null };
  }
}
