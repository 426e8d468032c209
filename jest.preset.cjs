// Shared jest settings. Nest 12, Kysely 0.29 and PGlite ship ESM that jest on Node 20 cannot load,
// so swc compiles them to CommonJS on the way in (see shared toolchain notes, section 2).
const path = require('node:path');

const ESM_ONLY = ['kysely', '@electric-sql/pglite', '@nestjs', 'file-type', 'strtok3', 'token-types',
  '@tokenizer', '@borewit', 'uint8array-extras', 'cookie', 'load-esm'];
const LIBS = ['config', 'db', 'event-store', 'domain', 'read-models', 'commitments', 'testing', 'fixtures'];

module.exports = {
  testEnvironment: 'node',
  testTimeout: 60000,
  passWithNoTests: true,
  transform: {
    '^.+\\.ts$': ['@swc/jest', { swcrc: false, module: { type: 'commonjs' }, jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022', keepClassNames: true } }],
    '^.+\\.[cm]?js$': ['@swc/jest', { swcrc: false, module: { type: 'commonjs' },
      jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' } }],
  },
  transformIgnorePatterns: [`^(?!.*/node_modules/(?:${ESM_ONLY.join('|')})/).*/node_modules/`],
  moduleFileExtensions: ['ts', 'js', 'cjs', 'mjs', 'json'],
  moduleNameMapper: {
    ...Object.fromEntries(LIBS.map((lib) => [`^@ledger/${lib}$`, path.join(__dirname, 'libs', lib, 'src', 'index.ts')])),
    '^@ledger/domain/testing$': path.join(__dirname, 'libs', 'domain', 'src', 'testing', 'index.ts'),
    '^@ledger/seeds$': path.join(__dirname, 'seeds', 'index.ts'),
  },
};
