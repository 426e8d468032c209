import { StandardSchemaValidationPipe } from '@nestjs/common';
import { ProblemException, Problems, type ProblemField } from './problems';

interface Issue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
  /** zod's `unrecognized_keys` issue names the unknown fields here. */
  readonly keys?: unknown;
}

/** `quantity.low`, `accounts[1].sources[0]`; an empty string for the value as a whole. */
export function formatPath(path: Issue['path']): string {
  let out = '';
  for (const segment of path ?? []) {
    const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
    if (typeof key === 'number') out += `[${key}]`;
    else out += out.length === 0 ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** One entry per bad field; an unknown field is listed under its own path. */
export function toProblemFields(issues: readonly Issue[]): ProblemField[] {
  const fields: ProblemField[] = [];
  for (const issue of issues) {
    const base = formatPath(issue.path);
    if (Array.isArray(issue.keys) && issue.keys.length > 0) {
      for (const key of issue.keys) {
        fields.push({ path: base.length === 0 ? String(key) : `${base}.${String(key)}`, message: 'unknown field' });
      }
    } else {
      fields.push({ path: base, message: issue.message });
    }
  }
  return fields;
}

/**
 * Nest's pipe deletes `__proto__`, `prototype` and `constructor` members before validating, so a
 * body carrying one would be accepted with the member silently gone. Our schemas are strict and
 * copy only the fields they declare, so those members can reach them untouched and be refused as
 * unknown fields under their own path. Nothing merges a body before that: JSON.parse makes
 * `__proto__` an ordinary own property, which sets no prototype.
 */
class StrictSchemaValidationPipe extends StandardSchemaValidationPipe {
  protected override stripProtoKeys(): void {
    // Left in place on purpose: validation refuses them (see above).
  }
}

/**
 * Validates every parameter declared with a schema (`@Body({ schema })`, `@Query({ schema })`,
 * `@Param('id', { schema })`) and answers a 400 problem listing each bad path.
 */
export function createValidationPipe(): StandardSchemaValidationPipe {
  return new StrictSchemaValidationPipe({
    exceptionFactory: (issues) => {
      const errors = toProblemFields(issues as readonly Issue[]);
      const detail = errors.length === 1 ? 'One field is not valid.' : `${errors.length} fields are not valid.`;
      return new ProblemException(Problems.validation, detail, { errors });
    },
  });
}
