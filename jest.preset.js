// Shared Jest settings: SWC transpiles TypeScript (with Nest's decorator metadata) and the
// @pg2ddb/* imports resolve to the libs' sources, as in tsconfig.base.json.
const path = require('node:path');

const libs = path.join(__dirname, 'libs');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@pg2ddb/([a-z-]+)/testing$': `${libs}/$1/src/testing.ts`,
    '^@pg2ddb/([a-z-]+)$': `${libs}/$1/src/index.ts`,
  },
  testMatch: ['**/?(*.)+(spec).ts'],
};
