// Tests against the real stack: PostgreSQL, Kafka, Kafka Connect with Debezium and the DynamoDB
// emulator (moto), started once for the whole run by the global set-up. Each test isolates itself with a
// random schema, topic prefix and table (see @pg2ddb/testing TestPipeline), so files run in
// parallel on one stack. The libs' integration specs (`*.int-spec.ts`) run here too.
const path = require('node:path');

module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'e2e',
  rootDir: __dirname,
  roots: ['<rootDir>/src', path.join(__dirname, '../../libs/dynamo/src/integration')],
  testMatch: ['**/*.e2e-spec.ts', '**/*.int-spec.ts'],
  globalSetup: '<rootDir>/global-setup.js',
  globalTeardown: '<rootDir>/global-teardown.js',
  testTimeout: 180000,
  maxWorkers: 2,
};
