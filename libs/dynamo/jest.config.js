module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'dynamo',
  rootDir: __dirname,
};
