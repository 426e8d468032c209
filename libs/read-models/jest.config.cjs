module.exports = { ...require('../../jest.preset.cjs'), displayName: 'read-models', rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'] };
