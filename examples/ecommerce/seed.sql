-- Deterministic demo data: {{rows}} orders with 1-4 items each, placed by {{rows}}/4 users over
-- the years 2024-2025, on a catalogue of {{rows}}/10 products (at least 20). Every value derives
-- from the row number, so two runs produce the same data; rows that already exist are skipped.
-- Explicit ids keep the relations computable; the identity sequences are moved past them at the end.
-- bigint arithmetic throughout: (row number * prime) overflows integer beyond a few thousand rows.

INSERT INTO products (id, sku, name, category, price, tags, attributes, created_at, updated_at)
SELECT md5('product-' || p)::uuid                                         AS id,
       'SKU-' || lpad(p::text, 6, '0')                                    AS sku,
       (ARRAY['Wireless', 'Classic', 'Compact', 'Deluxe', 'Eco'])[1 + p % 5] || ' '
         || (ARRAY['Headphones', 'Novel', 'Lamp', 'Puzzle', 'Hose', 'Racket'])[1 + p % 6] || ' ' || p AS name,
       CASE WHEN p % 25 = 0 THEN NULL                                     -- drafts: not listed
            ELSE (ARRAY['Electronics', 'Books', 'Home', 'Toys', 'Garden', 'Sports'])[1 + p % 6] END AS category,
       round(1 + ((p * 7919) % 50000) / 100.0, 2)                          AS price,
       CASE WHEN p % 11 = 0 THEN '{}'                                     -- no tags: the item has no tags attribute
            ELSE (ARRAY['new', 'sale', 'gift', 'eco', 'bestseller'])[1 + p % 5 : 1 + p % 5 + p % 2] END AS tags,
       CASE WHEN p % 3 = 0 THEN NULL
            ELSE jsonb_build_object('color', (ARRAY['black', 'white', 'red'])[1 + p % 3], 'weight_g', 50 + (p * 37) % 2000) END AS attributes,
       timestamptz '2023-06-01 00:00:00+00' + (p * 3607) % 15552000 * interval '1 second' AS created_at,
       timestamptz '2023-06-01 00:00:00+00' + (p * 3607) % 15552000 * interval '1 second' AS updated_at
FROM generate_series(1::bigint, greatest(20, {{rows}} / 10)) AS p
ON CONFLICT DO NOTHING;

INSERT INTO users (id, email, name, status, preferences, created_at, updated_at)
SELECT u                                                                  AS id,
       CASE WHEN u % 7 = 0 THEN 'User.' || u || '@Example.com'            -- mixed case: the email index lower-cases
            ELSE 'user' || u || '@example.com' END                        AS email,
       (ARRAY['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald'])[1 + u % 6] || ' '
         || (ARRAY['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth'])[1 + (u / 6) % 6] AS name,
       (ARRAY['active', 'active', 'active', 'active', 'suspended', 'closed'])[1 + u % 6]::user_status AS status,
       jsonb_build_object('newsletter', u % 3 = 0, 'language', (ARRAY['en', 'de', 'fr'])[1 + u % 3]) AS preferences,
       timestamptz '2023-01-01 00:00:00+00' + (u * 48271) % 31536000 * interval '1 second' AS created_at,
       timestamptz '2023-01-01 00:00:00+00' + (u * 48271) % 31536000 * interval '1 second' AS updated_at
FROM generate_series(1::bigint, greatest(1, {{rows}} / 4)) AS u
ON CONFLICT DO NOTHING;

-- Order o has 1 + o % 4 lines; line k buys product 1 + (o * 31 + k * 17) % (number of products)
-- at that product's price, and the order's total is the sum of its lines.
INSERT INTO orders (id, user_id, order_date, status, total_amount, shipping_address, updated_at)
SELECT o                                                                  AS id,
       1 + (o * 7919) % greatest(1, {{rows}} / 4)                          AS user_id,
       timestamptz '2024-01-01 00:00:00+00' + (o * 48271) % 63072000 * interval '1 second'
         + (o * 16807) % 1000000 * interval '1 microsecond'               AS order_date,
       (ARRAY['pending', 'paid', 'shipped', 'delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'cancelled'])[1 + o % 10]::order_status AS status,
       (SELECT sum((1 + (o + k) % 3) * p.price)
          FROM generate_series(1, 1 + o % 4) AS k
          JOIN products p ON p.id = md5('product-' || (1 + (o * 31 + k * 17) % greatest(20, {{rows}} / 10)))::uuid) AS total_amount,
       CASE WHEN o % 10 = 0 THEN NULL
            ELSE jsonb_build_object('line1', (1 + o % 999) || ' Main Street', 'city', (ARRAY['Berlin', 'Lisbon', 'Austin', 'Osaka'])[1 + o % 4],
                                    'postcode', lpad(((o * 7) % 100000)::text, 5, '0'), 'country', (ARRAY['DE', 'PT', 'US', 'JP'])[1 + o % 4]) END AS shipping_address,
       timestamptz '2024-01-01 00:00:00+00' + ((o * 48271) % 63072000 + 3600 * (o % 10)) * interval '1 second' AS updated_at
FROM generate_series(1::bigint, {{rows}}) AS o
ON CONFLICT DO NOTHING;

INSERT INTO order_items (id, order_id, product_id, quantity, unit_price)
SELECT (o - 1) * 4 + k                                                    AS id,
       o                                                                  AS order_id,
       p.id                                                               AS product_id,
       1 + (o + k) % 3                                                    AS quantity,
       p.price                                                            AS unit_price
FROM generate_series(1::bigint, {{rows}}) AS o
CROSS JOIN LATERAL generate_series(1, 1 + o % 4) AS k
JOIN products p ON p.id = md5('product-' || (1 + (o * 31 + k * 17) % greatest(20, {{rows}} / 10)))::uuid
ON CONFLICT DO NOTHING;

SELECT setval(pg_get_serial_sequence('users', 'id'), greatest((SELECT max(id) FROM users), 1));
SELECT setval(pg_get_serial_sequence('orders', 'id'), greatest((SELECT max(id) FROM orders), 1));
SELECT setval(pg_get_serial_sequence('order_items', 'id'), greatest((SELECT max(id) FROM order_items), 1));
