module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'alerter',
  rootDir: __dirname,
};
