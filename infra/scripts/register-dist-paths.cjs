// Preload for the compiled services and cli (`npm run build` → dist/): resolves the workspace's
// `@pg2ddb/*` imports, which tsc leaves as they are, to their compiled files, by the same `paths`
// as tsconfig.base.json. `node -r ./infra/scripts/register-dist-paths.cjs dist/apps/writer/src/main.js`
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
const aliases = new Map(
  Object.entries(compilerOptions.paths).map(([name, [target]]) => [name, join(root, 'dist', target.replace(/\.ts$/, '.js'))]),
);
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveWorkspaceAlias(request, ...rest) {
  return resolve.call(this, aliases.get(request) ?? request, ...rest);
};
