import { z } from 'zod';

/** One writer allowed to append: its name goes into every event's `recordedBy`. */
export interface Writer {
  readonly name: string;
  readonly token: string;
}

const booleanFlag = z.enum(['true', 'false']).transform((value) => value === 'true');

const writers = z
  .string()
  .transform((value, ctx): Writer[] => {
    const pairs = value.split(',').map((pair) => pair.trim()).filter((pair) => pair.length > 0);
    const result: Writer[] = [];
    for (const pair of pairs) {
      const separator = pair.indexOf(':');
      const name = separator > 0 ? pair.slice(0, separator) : '';
      const token = separator > 0 ? pair.slice(separator + 1) : '';
      if (!/^[A-Za-z0-9._@-]{1,80}$/.test(name) || token.length < 16) {
        ctx.addIssue({ code: 'custom', message: 'expected name:token pairs, each token of at least 16 characters' });
        return z.NEVER;
      }
      result.push({ name, token });
    }
    if (result.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'expected at least one name:token pair' });
      return z.NEVER;
    }
    return result;
  });

/** The environment, exactly as the contract's "Running" table describes it. */
export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// connection string')
    .optional(),
  LEDGER_DATA_DIR: z.string().min(1).default('.data/ledger'),
  LEDGER_API_TOKENS: writers.optional(),
  LEDGER_SEED: booleanFlag.default(true),
});

export interface LedgerConfig {
  readonly port: number;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly writers: readonly Writer[] | undefined;
  readonly seed: boolean;
}

/** Raised when the environment holds a bad value; its message is one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads and validates the configuration. Empty strings count as unset, so `PORT=` in a shell
 * file falls back to the default instead of failing.
 * @throws ConfigError naming the first bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const present = Object.fromEntries(
    Object.keys(EnvSchema.shape)
      .map((key) => [key, env[key]])
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`invalid configuration: ${variable}: ${issue.message}`);
  }
  const value = parsed.data;
  return {
    port: value.PORT,
    databaseUrl: value.DATABASE_URL,
    dataDir: value.LEDGER_DATA_DIR,
    writers: value.LEDGER_API_TOKENS,
    seed: value.LEDGER_SEED,
  };
}

/**
 * The configuration of a process about to start: a bad value ends it with the one-line message on
 * stderr and exit code 1, never a stack trace.
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
