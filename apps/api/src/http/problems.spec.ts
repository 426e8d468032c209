import { DOMAIN_ERROR_CODES, DomainError } from '@ledger/domain';
import { ConcurrencyError, IdempotencyConflict } from '@ledger/event-store';
import { toProblem, type FailedRequest } from './problems';

const onCollection: FailedRequest = { params: {}, resource: 'commitments', hadIfMatch: false };
const onCommitment = (id: string, hadIfMatch = false): FailedRequest => ({ params: { id }, resource: 'commitments', hadIfMatch });

describe('toProblem with the real library errors', () => {
  it.each(DOMAIN_ERROR_CODES.map((code) => [code]))('maps domain code %s to a client error carrying the code', (code) => {
    const { problem, fault } = toProblem(new DomainError(code, `refused: ${code}`), onCollection);
    expect(fault).toBeUndefined();
    expect([404, 409, 422]).toContain(problem.status);
    expect(problem.code).toBe(code);
    expect(problem.detail).toBe(`refused: ${code}`);
  });

  it('answers 409 for an id registered twice and 422 for a refused rule', () => {
    expect(toProblem(new DomainError('already-registered', 'x', { id: 'a' }), onCollection).problem.status).toBe(409);
    expect(toProblem(new DomainError('commitment-withdrawn', 'x', { commitment: 'a' }), onCommitment('a')).problem.status).toBe(422);
    expect(toProblem(new DomainError('part-of-cycle', 'x'), onCollection).problem.status).toBe(422);
  });

  it('answers 404 for the commitment the path names, 422 for one the body names', () => {
    const unknown = new DomainError('unknown-commitment', 'unknown commitment: ghost', { commitment: 'ghost' });
    expect(toProblem(unknown, onCommitment('ghost')).problem.status).toBe(404);
    expect(toProblem(unknown, onCollection).problem.status).toBe(422);
    expect(toProblem(unknown, { params: {}, resource: 'discrepancies', hadIfMatch: false }).problem.status).toBe(422);
  });

  it('answers 404 for the event a reversal names in its path', () => {
    const unknown = new DomainError('unknown-event', 'unknown event', { eventId: 'e-1' });
    expect(toProblem(unknown, { params: { eventId: 'e-1' }, resource: 'events', hadIfMatch: false }).problem.status).toBe(404);
  });

  it('answers 422 for a missing source even on a path that names something', () => {
    const unknown = new DomainError('unknown-source', 'unknown source: s', { sources: ['s'] });
    expect(toProblem(unknown, onCommitment('s')).problem.status).toBe(422);
  });

  it('maps a lost race to 412 with If-Match and 409 without, and a reused key to 409', () => {
    const race = new ConcurrencyError('stream moved', 'commitment-a');
    expect(toProblem(race, onCommitment('a', true)).problem.status).toBe(412);
    expect(toProblem(race, onCommitment('a', false)).problem.status).toBe(409);
    expect(toProblem(new IdempotencyConflict('k'), onCollection).problem).toMatchObject({
      status: 409,
      type: 'https://ledger.example/problems/idempotency-conflict',
    });
  });

  it('treats anything unrecognised as a fault without detail', () => {
    for (const thrown of [new Error('boom'), 'a string', null, { code: '23505' }, new TypeError('x is undefined')]) {
      const { problem, fault } = toProblem(thrown, onCollection);
      expect(problem).toEqual({ type: 'https://ledger.example/problems/internal', title: 'Internal Server Error', status: 500 });
      expect(fault).toBe(thrown);
    }
  });
});
