module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'alerting',
  rootDir: __dirname,
};
