export { loadConfig, loadConfigOrExit, ConfigError, EnvSchema } from './config';
export type { LedgerConfig, Writer } from './config';
