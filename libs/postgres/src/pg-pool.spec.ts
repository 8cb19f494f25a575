import { quoteIdent } from './pg-pool';

describe('quoteIdent', () => {
  it('quotes identifiers and doubles embedded quotes', () => {
    expect(quoteIdent('orders')).toBe('"orders"');
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
  });
});
