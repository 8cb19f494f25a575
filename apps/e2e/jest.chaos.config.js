// `npm run chaos` (Nx target e2e:chaos): the long chaos suite, on a stack of its own that it starts
// and stops itself (apps/e2e/src/chaos). Not part of `npm test`; a short version is
// (chaos-short.e2e-spec.ts).
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'chaos',
  rootDir: __dirname,
  roots: ['<rootDir>/src/chaos'],
  testMatch: ['**/*.chaos-spec.ts'],
  testTimeout: 4 * 3600 * 1000,
  maxWorkers: 1,
};
