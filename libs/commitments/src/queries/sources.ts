import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  findSource,
  listDiscrepancies,
  listSources,
  type Citation,
  type DiscrepancyView,
  type SourceView,
} from '@ledger/read-models';
import { LEDGER_DB, NotFound, type LedgerDb } from '../ledger-database';

export class ListSources extends Query<SourceView[]> {}

@QueryHandler(ListSources)
export class ListSourcesHandler implements IQueryHandler<ListSources> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  execute(): Promise<SourceView[]> {
    return listSources(this.db);
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

export class ListDiscrepancies extends Query<DiscrepancyView[]> {}

@QueryHandler(ListDiscrepancies)
export class ListDiscrepanciesHandler implements IQueryHandler<ListDiscrepancies> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  execute(): Promise<DiscrepancyView[]> {
    return listDiscrepancies(this.db);
  }
}
