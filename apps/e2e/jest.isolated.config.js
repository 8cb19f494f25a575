// End-to-end specs that disturb a shared part of the stack (e.g. SIGSTOP of the shared Kafka
// broker to crash consumers): run one at a time, after the main e2e suite, so no other spec's
// pipeline loses its broker mid-test (`npx nx run e2e:isolated`, part of `npm test`).
const base = require('./jest.config.js');

module.exports = {
  ...base,
  displayName: 'e2e-isolated',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.isolated-spec.ts'],
  maxWorkers: 1,
};
