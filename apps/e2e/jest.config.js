// End-to-end tests against the real stack: PostgreSQL, Kafka, Kafka Connect with Debezium and
// DynamoDB Local, started once for the whole run by the global set-up. Each test isolates itself
// with a random schema, topic prefix and table (see @pg2ddb/testing TestPipeline).
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'e2e',
  rootDir: __dirname,
  testMatch: ['**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/src/global-setup.ts',
  globalTeardown: '<rootDir>/src/global-teardown.ts',
  testTimeout: 180000,
  maxWorkers: 2,
};
