import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies the contract defaults to an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      databaseUrl: undefined,
      dataDir: '.data/ledger',
      writers: undefined,
      seed: true,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/ledger',
      LEDGER_DATA_DIR: 'memory://',
      LEDGER_API_TOKENS: 'alice:0123456789abcdef, bob:fedcba9876543210',
      LEDGER_SEED: 'false',
    });
    expect(config).toEqual({
      port: 8080,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/ledger',
      dataDir: 'memory://',
      writers: [
        { name: 'alice', token: '0123456789abcdef' },
        { name: 'bob', token: 'fedcba9876543210' },
      ],
      seed: false,
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['LEDGER_API_TOKENS', 'alice:short'],
    ['LEDGER_API_TOKENS', 'no-separator-token-here'],
    ['LEDGER_SEED', 'yes'],
  ])('rejects %s=%s with one line naming the variable', (variable, value) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(variable);
    expect(message).not.toContain('\n');
  });
});
