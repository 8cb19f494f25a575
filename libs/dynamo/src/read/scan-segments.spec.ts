import { ITEMS_PER_SEGMENT, MAX_SEGMENTS, segmentsForItemCount } from './scan-segments';

describe('segmentsForItemCount', () => {
  it('keeps the requested minimum for small tables', () => {
    expect(segmentsForItemCount(0, 8)).toBe(8);
    expect(segmentsForItemCount(20_000, 8)).toBe(8);
  });

  it('splits a large table into segments of about ITEMS_PER_SEGMENT items', () => {
    expect(segmentsForItemCount(500_247, 8)).toBe(Math.ceil(500_247 / ITEMS_PER_SEGMENT));
    expect(segmentsForItemCount(500_247, 8)).toBe(101);
  });

  it('never goes below one segment or above MAX_SEGMENTS', () => {
    expect(segmentsForItemCount(10, 0)).toBe(1);
    expect(segmentsForItemCount(1e12, 8)).toBe(MAX_SEGMENTS);
  });
});
