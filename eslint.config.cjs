// Lint makes the layering real: a wrong import between projects fails `npm run lint`.
// Tags live in each project's package.json ("nx": { "tags": [...] }); docs/design.md explains the layers.
const nx = require('@nx/eslint-plugin');

module.exports = [
  { ignores: ['**/node_modules/**', '**/.nx/**', '**/dist/**', '**/.data/**', '**/coverage/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'layer:config', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'layer:db', onlyDependOnLibsWithTags: [] },
            // The journal knows nothing of commitments or HTTP; it may use the drivers' layer.
            { sourceTag: 'layer:event-store', onlyDependOnLibsWithTags: ['layer:db'] },
            // The domain is pure: no framework, no SQL, nothing of ours below it.
            { sourceTag: 'layer:domain', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'layer:read-models', onlyDependOnLibsWithTags: ['layer:domain', 'layer:event-store', 'layer:db'] },
            {
              sourceTag: 'layer:feature',
              onlyDependOnLibsWithTags: ['layer:domain', 'layer:event-store', 'layer:db', 'layer:read-models', 'layer:config', 'layer:seeds'],
            },
            { sourceTag: 'layer:testing', onlyDependOnLibsWithTags: ['layer:db'] },
            // Generated ledgers for benchmarks and tests, written straight to the journal.
            { sourceTag: 'layer:fixtures', onlyDependOnLibsWithTags: ['layer:event-store', 'layer:db'] },
            // The seeded history is data: it imports nothing.
            { sourceTag: 'layer:seeds', onlyDependOnLibsWithTags: [] },
            {
              sourceTag: 'layer:app',
              onlyDependOnLibsWithTags: ['layer:feature', 'layer:domain', 'layer:event-store', 'layer:db', 'layer:read-models', 'layer:config'],
            },
            { sourceTag: 'layer:e2e', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Test files may reach the test helpers from any layer.
    files: ['**/*.spec.ts', '**/*.int.spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts', '**/bench/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // Tests and benchmarks exercise a library through its public entry point.
          allowCircularSelfDependency: true,
          depConstraints: [{ sourceTag: '*', onlyDependOnLibsWithTags: ['*'] }],
        },
      ],
    },
  },
  {
    files: ['migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
