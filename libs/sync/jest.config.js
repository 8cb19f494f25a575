module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'sync',
  rootDir: __dirname,
};
