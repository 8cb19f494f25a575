// Lint: TypeScript rules plus Nx module boundaries by tag. The tree tells the architecture, and
// these rules keep it that way (see ../shared/STYLE.md): no wildcard source tag.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const infrastructureImports = ['@nestjs/*', 'kafkajs', '@aws-sdk/*', 'pg', 'typeorm'];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.stack/**', '**/.nx/**', '**/coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contract', 'type:util'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:data-access', 'type:domain', 'type:contract', 'type:util'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contract', 'type:util'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contract', 'type:util'] },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:contract', 'type:util'],
              bannedExternalImports: infrastructureImports,
            },
            {
              sourceTag: 'type:contract',
              onlyDependOnLibsWithTags: ['type:contract', 'type:util'],
              bannedExternalImports: infrastructureImports,
            },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: infrastructureImports },
            { sourceTag: 'scope:pg2ddb', onlyDependOnLibsWithTags: ['scope:pg2ddb'] },
          ],
        },
      ],
    },
  },
  {
    // The cli talks to operators on the terminal.
    files: ['apps/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
];
