module.exports = { ...require('../../jest.preset.cjs'), displayName: 'event-store', rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'] };
