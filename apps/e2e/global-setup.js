// Starts the embedded stack once per run (reusing one that is already up) and exports its
// settings to the environment the test workers inherit. Plain JavaScript: Jest loads global
// set-up outside the test runtime, where the @pg2ddb/* path mapping does not apply.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const stack = path.join(__dirname, '../../infra/local/stack.sh');

module.exports = async function globalSetup() {
  const wasRunning = spawnSync('bash', [stack, 'status'], { stdio: 'ignore' }).status === 0;
  process.env.PG2DDB_E2E_STARTED_STACK = wasRunning ? '0' : '1';
  const started = Date.now();
  const start = spawnSync('bash', [stack, 'start'], { stdio: 'inherit' });
  if (start.status !== 0) throw new Error(`infra/local/stack.sh start failed (exit ${start.status}); see the messages above`);
  const env = spawnSync('bash', [stack, 'env'], { encoding: 'utf8' });
  for (const line of env.stdout.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) process.env[match[1]] ??= match[2].replace(/^'(.*)'$/, '$1');
  }
  process.stdout.write(`\ne2e: stack ${wasRunning ? 'reused' : 'started'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
};
