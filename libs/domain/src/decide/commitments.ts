import type {
  AnnounceCommitment,
  CorroborateCommitment,
  ReviseCommitment,
  WithdrawCommitment,
} from '../commands';
import { DomainError } from '../errors';
import type { CommitmentAnnounced, CommitmentCorroborated, CommitmentRevised, CommitmentWithdrawn } from '../events';
import { figureAt, type CommitmentState, type ProgrammeState } from '../state';
import { compareAmounts } from '../values/amount';
import { isQuantified, sameQuantity, type Quantity } from '../values/quantity';
import { requireCommitment, requireInstitutions, requireNotWithdrawn, requireSources, type Registry } from './guards';

/**
 * A part ("of which") is a share of its whole: the same unit, and no more than the whole's high
 * as the whole stood on the part's effective date. Unquantified figures bound nothing.
 */
function requireFitsWhole(id: string, quantity: Quantity, effectiveOn: string, whole: CommitmentState): void {
  if (whole.unit !== null && quantity.unit !== whole.unit) {
    throw new DomainError('unit-mismatch', `commitment ${id} is in ${quantity.unit} but its whole ${whole.id} is in ${whole.unit}`, {
      commitment: id,
      unit: quantity.unit,
      expected: whole.unit,
    });
  }
  const wholeQuantity = figureAt(whole, effectiveOn)?.quantity;
  if (wholeQuantity && isQuantified(wholeQuantity) && isQuantified(quantity) && compareAmounts(quantity.high, wholeQuantity.high) > 0) {
    throw new DomainError(
      'part-exceeds-whole',
      `commitment ${id} (${quantity.high} ${quantity.unit}) exceeds its whole ${whole.id} (${wholeQuantity.high})`,
      { commitment: id, whole: whole.id, high: quantity.high, wholeHigh: wholeQuantity.high },
    );
  }
}

function requireUnit(id: string, quantity: Quantity, state: CommitmentState): void {
  if (state.unit !== null && quantity.unit !== state.unit) {
    throw new DomainError('unit-mismatch', `commitment ${id} is in ${state.unit}, not ${quantity.unit}`, {
      commitment: id,
      unit: quantity.unit,
      expected: state.unit,
    });
  }
}

/**
 * Announces a commitment. `parent` is the state of `partOf` when there is one. Only a commitment
 * naming itself can close a `partOf` cycle: the whole must already stand and its chain is fixed
 * at announcement, while this id was never announced (not even in a reversed announcement).
 * @throws DomainError already-registered (the id was ever announced), unknown-programme,
 *   unknown-institution, unknown-source, unknown-commitment (partOf), part-of-cycle,
 *   unit-mismatch, part-exceeds-whole
 */
export function decideAnnounceCommitment(
  command: AnnounceCommitment,
  context: {
    readonly commitment: CommitmentState;
    readonly programme: ProgrammeState | undefined;
    readonly institutions: Registry;
    readonly sources: Registry;
    readonly parent: CommitmentState | undefined;
  },
): CommitmentAnnounced[] {
  if (context.commitment.announced) {
    throw new DomainError('already-registered', `commitment ${command.id} was already announced`, { id: command.id });
  }
  if (!context.programme?.registered) {
    throw new DomainError('unknown-programme', `unknown programme: ${command.programme}`, { programmes: [command.programme] });
  }
  requireInstitutions([...new Set([...command.pledgers, command.announcedBy])], context.institutions);
  requireSources(command.sources, context.sources);
  if (command.partOf !== null) {
    if (command.partOf === command.id) {
      throw new DomainError('part-of-cycle', `commitment ${command.id} cannot be a part of itself`, {
        commitment: command.id,
        partOf: command.partOf,
      });
    }
    const whole = requireCommitment(command.partOf, context.parent);
    requireFitsWhole(command.id, command.quantity, command.effectiveOn, whole);
  }
  const { id, programme, pledgers, announcedBy, kind, quantity, partOf, horizon } = command;
  return [{ type: 'CommitmentAnnounced', data: { id, programme, pledgers, announcedBy, kind, quantity, partOf, horizon } }];
}

/**
 * Records that another source states the same figure: a citation, never new money. The figure
 * must match the one in force on the corroboration's effective date.
 * @throws DomainError unknown-commitment, commitment-withdrawn, unknown-source, unit-mismatch,
 *   corroboration-differs
 */
export function decideCorroborateCommitment(
  commitmentId: string,
  command: CorroborateCommitment,
  context: { readonly commitment: CommitmentState | undefined; readonly sources: Registry },
): CommitmentCorroborated[] {
  const state = requireCommitment(commitmentId, context.commitment);
  requireNotWithdrawn(commitmentId, state);
  requireSources(command.sources, context.sources);
  requireUnit(commitmentId, command.quantity, state);
  const standing = figureAt(state, command.effectiveOn)!.quantity;
  if (!sameQuantity(command.quantity, standing)) {
    throw new DomainError('corroboration-differs', `the corroboration of ${commitmentId} states another figure than the ledger`, {
      commitment: commitmentId,
      stated: command.quantity,
      recorded: standing,
    });
  }
  return [{ type: 'CommitmentCorroborated', data: { commitment: commitmentId, quantity: command.quantity } }];
}

/**
 * Revises the level of a commitment from the revision's effective date on. The event always
 * carries the whole resulting quantity and pledgers: what the command leaves out keeps the level
 * in force on that date. `institutions` needs only the pledgers the command names. `parent` is the
 * state of the commitment's whole (its `partOf`, fixed at announcement), and `parts` the states of
 * its standing direct parts, so the whole is never revised below one of them.
 * @throws DomainError unknown-commitment, commitment-withdrawn, unknown-institution,
 *   unknown-source, unit-mismatch, part-exceeds-whole
 */
export function decideReviseCommitment(
  commitmentId: string,
  command: ReviseCommitment,
  context: {
    readonly commitment: CommitmentState | undefined;
    readonly institutions: Registry;
    readonly sources: Registry;
    readonly parent: CommitmentState | undefined;
    readonly parts: readonly CommitmentState[];
  },
): CommitmentRevised[] {
  const state = requireCommitment(commitmentId, context.commitment);
  requireNotWithdrawn(commitmentId, state);
  const standing = figureAt(state, command.effectiveOn)!;
  const quantity = command.quantity ?? standing.quantity;
  const pledgers = command.pledgers ?? [...standing.pledgers];
  // Carried-over pledgers were checked when they were recorded; only new ones need loading.
  requireInstitutions(command.pledgers ?? [], context.institutions);
  requireSources(command.sources, context.sources);
  requireUnit(commitmentId, quantity, state);
  if (state.partOf !== null && context.parent?.exists) {
    requireFitsWhole(commitmentId, quantity, command.effectiveOn, context.parent);
  }
  for (const part of context.parts) {
    const partQuantity = part.exists ? figureAt(part, command.effectiveOn)?.quantity : undefined;
    if (partQuantity && isQuantified(partQuantity) && isQuantified(quantity) && compareAmounts(partQuantity.high, quantity.high) > 0) {
      throw new DomainError(
        'part-exceeds-whole',
        `commitment ${part.id} (${partQuantity.high}) would exceed its whole ${commitmentId} (${quantity.high})`,
        { commitment: part.id, whole: commitmentId, high: partQuantity.high, wholeHigh: quantity.high },
      );
    }
  }
  return [{ type: 'CommitmentRevised', data: { commitment: commitmentId, quantity, pledgers, reason: command.reason } }];
}

/**
 * Withdraws a commitment from its effective date on.
 * @throws DomainError unknown-commitment, commitment-withdrawn, unknown-source
 */
export function decideWithdrawCommitment(
  commitmentId: string,
  command: WithdrawCommitment,
  context: { readonly commitment: CommitmentState | undefined; readonly sources: Registry },
): CommitmentWithdrawn[] {
  const state = requireCommitment(commitmentId, context.commitment);
  requireNotWithdrawn(commitmentId, state);
  requireSources(command.sources, context.sources);
  return [{ type: 'CommitmentWithdrawn', data: { commitment: commitmentId, reason: command.reason } }];
}
