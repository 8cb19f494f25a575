import { isAdmin } from './admin-token';

describe('admin token', () => {
  it('accepts only the configured bearer token, and nothing when none is configured', () => {
    const token = 'a-long-enough-token-123';
    expect(isAdmin(`Bearer ${token}`, token)).toBe(true);
    expect(isAdmin(`bearer ${token}`, token)).toBe(true);
    expect(isAdmin(`Bearer ${token}x`, token)).toBe(false);
    expect(isAdmin(token, token)).toBe(false);
    expect(isAdmin(undefined, token)).toBe(false);
    expect(isAdmin(`Bearer ${token}`, undefined)).toBe(false);
    expect(isAdmin('Bearer ', '')).toBe(false);
  });
});
