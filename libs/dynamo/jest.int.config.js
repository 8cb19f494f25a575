// Integration specs against a DynamoDB endpoint (the stack's emulator, or AWS): `src/integration/*.int-spec.ts`.
// They never skip: without an endpoint this config refuses to run, so CI cannot pass vacuously.
if (!process.env.PG2DDB_DYNAMO_ENDPOINT) {
  throw new Error(
    'libs/dynamo integration tests need PG2DDB_DYNAMO_ENDPOINT (e.g. http://localhost:8000, the local stack\'s DynamoDB emulator); it is not set.',
  );
}

module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'dynamo-int',
  rootDir: __dirname,
  testMatch: ['**/*.int-spec.ts'],
  testTimeout: 30000,
};
