// The security proofs on the real stack (docs/security.md): least-privilege roles, no password in
// Connect, the writer's table/version scope, Kafka over SASL_SSL with the stack's test CA. Same
// stack and set-up as the e2e suite; kept apart because together they take ~2 minutes
// (`npm run test:security`, Nx target e2e:security).
const base = require('./jest.config.js');

module.exports = {
  ...base,
  displayName: 'security',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.security-spec.ts'],
};
