module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'status',
  rootDir: __dirname,
};
