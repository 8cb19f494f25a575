// Lint: TypeScript rules plus Nx module boundaries by tag. The tree tells the architecture, and
// these rules keep it that way (see ../shared/STYLE.md): no wildcard source tag.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const infrastructureImports = ['@nestjs/*', 'kafkajs', '@aws-sdk/*', 'pg', 'typeorm'];
// Domain code computes; it does not export metrics (its callers do)...
const domainBannedImports = [...infrastructureImports, 'prom-client'];
// ...nor touch the machine. Node's built-ins are not packages, so the boundary rule cannot see
// them: a plain import restriction on the domain and contract libs' sources does.
const domainSources = ['libs/mapping/src/**/*.ts', 'libs/sync/src/**/*.ts', 'libs/transform/src/**/*.ts', 'libs/alerting/src/**/*.ts', 'libs/contracts/src/**/*.ts'];
const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'process'];

/**
 * Layers (type:*) and areas (scope:*). A scope is the part of the product a project serves:
 * `shared` builds both directions, `forward` is PostgreSQL → DynamoDB, `reverse` the way back,
 * `ops` what operators run beside them (reconcile, alert, status, cli), `test` the harnesses.
 * Directions never import each other, and shared code never imports an area.
 */
function depConstraints() {
  const domainBans = domainBannedImports;
  return [
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contract', 'type:util'] },
    { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:data-access', 'type:domain', 'type:contract', 'type:util'] },
    { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:testing', 'type:data-access', 'type:domain', 'type:contract', 'type:util', 'type:app'] },
    { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contract', 'type:util'] },
    { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contract', 'type:util'] },
    // A domain lib may build on another (transform composes mapping and sync); none does I/O.
    { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:util'], bannedExternalImports: domainBans },
    { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:contract', 'type:util'], bannedExternalImports: domainBans },
    { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: infrastructureImports },
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
    { sourceTag: 'scope:forward', onlyDependOnLibsWithTags: ['scope:shared', 'scope:forward'] },
    { sourceTag: 'scope:reverse', onlyDependOnLibsWithTags: ['scope:shared', 'scope:reverse'] },
    { sourceTag: 'scope:ops', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ops'] },
    { sourceTag: 'scope:test', onlyDependOnLibsWithTags: ['scope:shared', 'scope:forward', 'scope:reverse', 'scope:ops', 'scope:test'] },
  ];
}

const boundaries = () => ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: depConstraints() }];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.stack/**', '**/.nx/**', '**/coverage/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      '@nx/enforce-module-boundaries': boundaries(),
    },
  },
  {
    files: domainSources,
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: nodeBuiltins, message: 'domain and contract libs do no I/O: pass data in from a data-access lib or an app' }] },
      ],
    },
  },
  {
    // The cli, the benchmark and the scripts talk to operators on the terminal.
    files: ['apps/cli/**/*.ts', 'bench/**/*.ts', 'infra/scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
];
