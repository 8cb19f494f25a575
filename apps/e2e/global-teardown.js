// Stops the stack only if this run started it: a developer's running demo is left alone.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

module.exports = async function globalTeardown() {
  if (process.env.PG2DDB_E2E_STARTED_STACK === '1' && process.env.PG2DDB_E2E_KEEP_STACK !== '1') {
    spawnSync('bash', [path.join(__dirname, '../../infra/local/stack.sh'), 'stop'], { stdio: 'inherit' });
  }
};
