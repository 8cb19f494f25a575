-- Deterministic data: {{rows}} carts, each with 1-5 lines. Replace {{rows}} before running.
INSERT INTO carts (id, customer_id, status, updated_at)
SELECT i, 1 + i % 97, CASE WHEN i % 5 = 0 THEN 'ordered' ELSE 'open' END, '2025-01-01'::timestamptz + i * interval '1 minute'
  FROM generate_series(1, {{rows}}) AS i
ON CONFLICT DO NOTHING;

INSERT INTO cart_lines (cart_id, line_no, sku, qty, unit_price)
SELECT c, l, 'SKU-' || ((c * 7 + l) % 500), 1 + (c + l) % 4, ((c * 13 + l * 7) % 10000) / 100.0
  FROM generate_series(1, {{rows}}) AS c, generate_series(1, 5) AS l
 WHERE l <= 1 + c % 5
ON CONFLICT DO NOTHING;
