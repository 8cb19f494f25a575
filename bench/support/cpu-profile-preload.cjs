/**
 * Preloaded into the benchmark's service processes (NODE_OPTIONS=--require <this file>) when
 * PG2DDB_BENCH_PROFILE_DIR is set: a V8 CPU profile of each benchmark phase.
 *
 * `node --cpu-prof` writes its profile only on a normal exit, and the services end on SIGTERM
 * (Nest re-raises the signal after closing), so it would never be written. Instead the profiler
 * runs from start-up and on SIGWINCH the profile so far is written to
 * `<dir>/<service>-<phase>.cpuprofile` (the phase name is read from `<dir>/phase`, written by
 * the benchmark just before it signals) and a new one starts. SIGWINCH because its default action
 * is to do nothing, and Nest's shutdown hooks listen to SIGUSR2 (it would stop the service).
 *
 * Plain CommonJS: it is loaded before @swc-node/register.
 */
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: preloaded before any TypeScript loader */
const dir = process.env.PG2DDB_BENCH_PROFILE_DIR;
if (dir) {
  const { Session } = require('node:inspector');
  const { readFileSync, writeFileSync } = require('node:fs');
  const { join } = require('node:path');
  const script = process.argv.find((arg) => /apps[\\/][a-z-]+[\\/]src[\\/]main\.[jt]s$/.test(arg));
  const service = script ? script.split(/[\\/]/).slice(-3)[0] : `pid${process.pid}`;
  const session = new Session();
  session.connect();
  const start = () => {
    session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 1000 }, () => session.post('Profiler.start')));
  };
  start();
  process.on('SIGWINCH', () => {
    let phase = 'phase';
    try {
      phase = readFileSync(join(dir, 'phase'), 'utf8').trim() || phase;
    } catch {
      // no phase file: keep the default name
    }
    session.post('Profiler.stop', (error, result) => {
      if (!error && result && result.profile) writeFileSync(join(dir, `${service}-${phase}.cpuprofile`), JSON.stringify(result.profile));
      start();
    });
  });
}
