module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'reconcile',
  rootDir: __dirname,
};
