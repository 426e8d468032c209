import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  AnnounceCommitmentSchema,
  CorroborateCommitmentSchema,
  NoteDiscrepancySchema,
  RegisterInstitutionSchema,
  RegisterProgrammeSchema,
  RegisterSourceSchema,
  ReviseCommitmentSchema,
  SignAgreementSchema,
  WithdrawCommitmentSchema,
} from '@ledger/domain';
import { canonicalJson, sha256Hex } from '@ledger/event-store';
import { seedHistory, type SeedStep } from '@ledger/seeds';
import { AnnounceCommitmentCommand } from '../announce-commitment/announce-commitment';
import { CorroborateCommitmentCommand } from '../corroborate-commitment/corroborate-commitment';
import { NoteDiscrepancyCommand } from '../note-discrepancy/note-discrepancy';
import { RegisterInstitutionCommand } from '../register-institution/register-institution';
import { RegisterProgrammeCommand } from '../register-programme/register-programme';
import { RegisterSourceCommand } from '../register-source/register-source';
import { ReviseCommitmentCommand } from '../revise-commitment/revise-commitment';
import { SignAgreementCommand } from '../sign-agreement/sign-agreement';
import { WithdrawCommitmentCommand } from '../withdraw-commitment/withdraw-commitment';
import type { WriteContext, WriteResult } from '../write-context';

const SEED_WRITER = 'seed';

export interface SeedReport {
  readonly steps: number;
  readonly appended: number;
}

/** The command a seed step stands for, its body checked by the same schema as the API's. */
function commandFor(step: SeedStep, context: WriteContext) {
  const target = () => {
    if (!step.commitment) throw new Error(`seed step ${step.write} needs its target commitment`);
    return step.commitment;
  };
  switch (step.write) {
    case 'source': return new RegisterSourceCommand(RegisterSourceSchema.parse(step.body), context);
    case 'institution': return new RegisterInstitutionCommand(RegisterInstitutionSchema.parse(step.body), context);
    case 'programme': return new RegisterProgrammeCommand(RegisterProgrammeSchema.parse(step.body), context);
    case 'commitment': return new AnnounceCommitmentCommand(AnnounceCommitmentSchema.parse(step.body), context);
    case 'corroboration': return new CorroborateCommitmentCommand(target(), CorroborateCommitmentSchema.parse(step.body), context);
    case 'revision': return new ReviseCommitmentCommand(target(), ReviseCommitmentSchema.parse(step.body), context);
    case 'withdrawal': return new WithdrawCommitmentCommand(target(), WithdrawCommitmentSchema.parse(step.body), context);
    case 'agreement': return new SignAgreementCommand(SignAgreementSchema.parse(step.body), context);
    case 'discrepancy': return new NoteDiscrepancyCommand(NoteDiscrepancySchema.parse(step.body), context);
    default: {
      const unknown: never = step.write;
      throw new Error(`unknown seed write ${String(unknown)}`);
    }
  }
}

/**
 * Loads `seeds/history.ts` through the same command handlers as the API. Each step carries an
 * idempotency key made from its content, so a second load replays every step and records nothing;
 * a step edited after it was loaded gets a new key and is decided afresh (and refused if it
 * contradicts what was recorded).
 */
@Injectable()
export class SeedLoader {
  constructor(private readonly commands: CommandBus) {}

  async load(steps: readonly SeedStep[] = seedHistory): Promise<SeedReport> {
    let appended = 0;
    for (const [index, step] of steps.entries()) {
      const { note: _note, ...request } = step;
      const key = `seed-${sha256Hex(canonicalJson(request)).slice(0, 40)}`;
      try {
        const result: WriteResult = await this.commands.execute(commandFor(step, { recordedBy: SEED_WRITER, idempotencyKey: key }));
        if (!result.replayed) appended += 1;
      } catch (error) {
        throw new Error(`seed step ${index + 1} (${step.write}${step.commitment ? ` ${step.commitment}` : ''}) failed: ${(error as Error).message}`, { cause: error });
      }
    }
    return { steps: steps.length, appended };
  }
}
