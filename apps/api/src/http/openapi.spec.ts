import 'reflect-metadata';
import { Body, Controller, Post } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import {
  AnnounceCommitmentSchema,
  CorroborateCommitmentSchema,
  NoteDiscrepancySchema,
  RegisterInstitutionSchema,
  RegisterProgrammeSchema,
  RegisterSourceSchema,
  ReverseEntrySchema,
  ReviseCommitmentSchema,
  SignAgreementSchema,
  WithdrawCommitmentSchema,
} from '@ledger/domain';
import { buildOpenApiDocument } from './openapi';
import { WriteRoute } from './write-route';
import { WRITERS, WriterGuard } from './writers';

/**
 * Every write body of the domain must survive the trip to OpenAPI: a schema zod cannot express
 * in JSON Schema would make the document, and so the application's start, fail.
 */
const BODIES = {
  RegisterSource: RegisterSourceSchema,
  RegisterInstitution: RegisterInstitutionSchema,
  RegisterProgramme: RegisterProgrammeSchema,
  AnnounceCommitment: AnnounceCommitmentSchema,
  CorroborateCommitment: CorroborateCommitmentSchema,
  ReviseCommitment: ReviseCommitmentSchema,
  WithdrawCommitment: WithdrawCommitmentSchema,
  SignAgreement: SignAgreementSchema,
  NoteDiscrepancy: NoteDiscrepancySchema,
  ReverseEntry: ReverseEntrySchema,
};

@Controller('probe')
class BodiesController {
  @Post('RegisterSource') @WriteRoute() a(@Body({ schema: RegisterSourceSchema }) _: unknown) { return undefined; }
  @Post('RegisterInstitution') @WriteRoute() b(@Body({ schema: RegisterInstitutionSchema }) _: unknown) { return undefined; }
  @Post('RegisterProgramme') @WriteRoute() c(@Body({ schema: RegisterProgrammeSchema }) _: unknown) { return undefined; }
  @Post('AnnounceCommitment') @WriteRoute() d(@Body({ schema: AnnounceCommitmentSchema }) _: unknown) { return undefined; }
  @Post('CorroborateCommitment') @WriteRoute({ ifMatch: true }) e(@Body({ schema: CorroborateCommitmentSchema }) _: unknown) { return undefined; }
  @Post('ReviseCommitment') @WriteRoute({ ifMatch: true }) f(@Body({ schema: ReviseCommitmentSchema }) _: unknown) { return undefined; }
  @Post('WithdrawCommitment') @WriteRoute({ ifMatch: true }) g(@Body({ schema: WithdrawCommitmentSchema }) _: unknown) { return undefined; }
  @Post('SignAgreement') @WriteRoute() h(@Body({ schema: SignAgreementSchema }) _: unknown) { return undefined; }
  @Post('NoteDiscrepancy') @WriteRoute() i(@Body({ schema: NoteDiscrepancySchema }) _: unknown) { return undefined; }
  @Post('ReverseEntry') @WriteRoute() j(@Body({ schema: ReverseEntrySchema }) _: unknown) { return undefined; }
}

type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; additionalProperties?: unknown; anyOf?: Schema[]; oneOf?: Schema[] };

describe('OpenAPI from the domain write bodies', () => {
  let app: NestExpressApplication;
  let document: ReturnType<typeof buildOpenApiDocument>;

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      controllers: [BodiesController],
      providers: [{ provide: WRITERS, useValue: [] }, WriterGuard],
    }).compile();
    app = module.createNestApplication<NestExpressApplication>({ logger: false });
    document = buildOpenApiDocument(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  const schemas = () => document.components!.schemas as Record<string, Schema>;

  it.each(Object.keys(BODIES))('documents %s as a named component referenced by its route', (name) => {
    const body = document.paths[`/probe/${name}`]!.post!.requestBody as { content: Record<string, { schema: Schema }> };
    expect(body.content['application/json']!.schema.$ref).toBe(`#/components/schemas/${name}`);
    const component = schemas()[name]!;
    expect(component.type).toBe('object');
    expect(component.additionalProperties).toBe(false);
  });

  it('documents amounts as strings, never as numbers', () => {
    expect(schemas()['Amount']).toMatchObject({ type: 'string' });
    const text = JSON.stringify(schemas());
    const amounts = [...text.matchAll(/"(?:low|high)":(\{[^{}]*\})/g)].map((match) => JSON.parse(match[1]!) as Schema);
    expect(amounts.length).toBeGreaterThan(0);
    for (const amount of amounts) expect(amount.$ref === '#/components/schemas/Amount' || amount.type === 'string').toBe(true);
  });

  it('documents If-Match only on writes to an existing commitment', () => {
    const headers = (name: string) =>
      ((document.paths[`/probe/${name}`]!.post!.parameters ?? []) as { name: string; in: string }[])
        .filter((parameter) => parameter.in === 'header')
        .map((parameter) => parameter.name)
        .sort();
    expect(headers('ReviseCommitment')).toEqual(['Idempotency-Key', 'If-Match']);
    expect(headers('RegisterSource')).toEqual(['Idempotency-Key']);
  });
});
