module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'ddb-source',
  rootDir: __dirname,
};
