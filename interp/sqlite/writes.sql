-- writes.sql — a transaction on the embedded (writable) database: the rollback
-- journal is created, synced and deleted inside the in-memory overlay.  The
-- native sqlite3 runs the same on a copy; outputs must match.
.headers on
BEGIN;
INSERT INTO customers(id, name, city) VALUES (5001, 'new customer', 'Nairobi');
UPDATE products SET price_cents = price_cents + 1 WHERE id <= 10;
DELETE FROM orders WHERE id % 1000 = 0;
COMMIT;
BEGIN;
DELETE FROM orders;
ROLLBACK;
SELECT count(*) AS orders, (SELECT count(*) FROM customers) AS customers,
       (SELECT sum(price_cents) FROM products) AS prices FROM orders;
SELECT name, city FROM customers WHERE id = 5001;
PRAGMA integrity_check;
