-- Shopping carts with their lines embedded in the cart's DynamoDB item (see mapping.yaml).
-- Idempotent; unqualified names land in the first schema of search_path.
CREATE TABLE IF NOT EXISTS carts (
  id          bigint PRIMARY KEY,
  customer_id bigint      NOT NULL,
  status      text        NOT NULL DEFAULT 'open',
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The cart's key is part of the line's primary key, so every change event of a line (deletes
-- included, with REPLICA IDENTITY DEFAULT) names the cart item it lives in.
CREATE TABLE IF NOT EXISTS cart_lines (
  cart_id    bigint        NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
  line_no    integer       NOT NULL,
  sku        text          NOT NULL,
  qty        integer       NOT NULL CHECK (qty > 0),
  unit_price numeric(10,2) NOT NULL CHECK (unit_price >= 0),
  PRIMARY KEY (cart_id, line_no)
);
