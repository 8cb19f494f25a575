// `npx nx run e2e:slow`: end-to-end specs on the shared stack that take minutes (`*.slow-spec.ts`),
// kept out of `npm test`'s time budget. Same stack and set-up as the main e2e suite.
const main = require('./jest.config.js');

module.exports = {
  ...main,
  displayName: 'e2e-slow',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.slow-spec.ts'],
};
