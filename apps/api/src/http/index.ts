/**
 * What resource controllers use: declare a write with `@WriteRoute()`, read its context with
 * `@WriteRequest()`, validate bodies with `@Body({ schema })`, and throw domain errors as they are;
 * `toProblem` maps them.
 */
export { WriteRoute, WriteRequest, WriteAcceptedSchema, answerWrite, etagOf, parseIfMatch, parseIdempotencyKey } from './write-route';
export type { WriteAccepted } from './write-route';
export { Writer, WriterGuard, WRITERS, resolveWriters } from './writers';
export { ProblemException, Problems, ProblemSchema, PROBLEM_BASE, toProblem } from './problems';
export type { Problem, ProblemClass, ProblemField } from './problems';
export type { HttpRequest, HttpResponse } from './http-types';
