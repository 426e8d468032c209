module.exports = { ...require('../../jest.preset.cjs'), displayName: 'commitments', rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'] };
