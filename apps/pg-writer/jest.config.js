module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'pg-writer',
  rootDir: __dirname,
};
