#!/usr/bin/env node
// The `pg2ddb` command (package.json "bin"): `npx pg2ddb` in the repository, `npm link` or
// `npm install -g` of a checkout, and /usr/local/bin/pg2ddb in the image. It runs the TypeScript
// sources through SWC in a checkout (so a change is live at once), or the compiled dist/ when the
// sources or the compiler are absent (the image) or PG2DDB_CLI_FROM=dist asks for it.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS launcher: it loads the TypeScript hook before the sources it runs */
const { existsSync, realpathSync } = require('node:fs');
const { join } = require('node:path');

const root = join(realpathSync(__dirname), '..', '..', '..');
// The SDK's warning that releases from 2027 need Node 22; the locked version runs on Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const sources = join(root, 'apps', 'cli', 'src', 'main.ts');
const compiled = join(root, 'dist', 'apps', 'cli', 'src', 'main.js');
const from = process.env.PG2DDB_CLI_FROM;
let swc;
try {
  swc = from === 'dist' ? undefined : require.resolve('@swc-node/register', { paths: [root] });
} catch {
  swc = undefined;
}
if (swc && existsSync(sources)) {
  // The workspace's @pg2ddb/* paths, whatever the caller's working directory.
  process.env.SWC_NODE_PROJECT ??= join(root, 'tsconfig.base.json');
  require(swc);
  require(sources);
} else if (existsSync(compiled)) {
  require(join(root, 'infra', 'scripts', 'register-dist-paths.cjs'));
  require(compiled);
} else {
  process.stderr.write(`pg2ddb: neither the sources with @swc-node/register (run npm ci in ${root}) nor ${compiled} (npm run build) are there\n`);
  process.exitCode = 2;
}
