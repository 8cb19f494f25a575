-- Run at cut-over to PostgreSQL, once `pg2ddb rollback-check` says GO (the data is complete):
-- NOT VALID adds each constraint without a long lock, VALIDATE then checks the existing rows.
ALTER TABLE catalogue.orders      ADD CONSTRAINT orders_user_fk       FOREIGN KEY (user_id)  REFERENCES catalogue.users (user_id) NOT VALID;
ALTER TABLE catalogue.order_lines ADD CONSTRAINT order_lines_order_fk FOREIGN KEY (order_id) REFERENCES catalogue.orders (order_id) NOT VALID;
ALTER TABLE catalogue.order_lines ADD CONSTRAINT order_lines_book_fk  FOREIGN KEY (isbn)     REFERENCES catalogue.books (isbn) NOT VALID;
ALTER TABLE catalogue.orders      VALIDATE CONSTRAINT orders_user_fk;
ALTER TABLE catalogue.order_lines VALIDATE CONSTRAINT order_lines_order_fk;
ALTER TABLE catalogue.order_lines VALIDATE CONSTRAINT order_lines_book_fk;
