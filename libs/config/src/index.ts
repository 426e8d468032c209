export { loadConfig, ConfigError, EnvSchema } from './config';
export type { LedgerConfig, Writer } from './config';
