-- The normalised PostgreSQL side of the DynamoDB-first catalogue (the way back, docs/rollback.md).
-- Idempotent. No foreign keys while the migration runs: the way back applies each item as it
-- arrives, and an order line may arrive before its order; constraints.sql adds them at cut-over.
CREATE SCHEMA IF NOT EXISTS catalogue;

CREATE TABLE IF NOT EXISTS catalogue.books (
  isbn         text PRIMARY KEY,
  title        text          NOT NULL,
  author       text          NOT NULL,
  price        numeric(10,2) NOT NULL CHECK (price >= 0),
  tags         text[],
  published_on date,
  details      jsonb
);

CREATE TABLE IF NOT EXISTS catalogue.users (
  user_id    uuid PRIMARY KEY,
  email      text        NOT NULL,
  name       text        NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS catalogue.orders (
  order_id  bigint PRIMARY KEY,
  user_id   uuid          NOT NULL,
  placed_at timestamptz   NOT NULL,
  status    text          NOT NULL,
  total     numeric(12,2) NOT NULL
);

CREATE TABLE IF NOT EXISTS catalogue.order_lines (
  order_id   bigint        NOT NULL,
  line_no    integer       NOT NULL,
  isbn       text          NOT NULL,
  quantity   integer       NOT NULL CHECK (quantity > 0),
  unit_price numeric(10,2) NOT NULL,
  PRIMARY KEY (order_id, line_no)
);
