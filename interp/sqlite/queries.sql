-- queries.sql — run by the wasm shell on the embedded database and by Debian's
-- native sqlite3 on the same file: the outputs must be identical.
.mode list
.headers on
SELECT count(*) AS customers FROM customers;
SELECT city, count(*) AS n FROM customers GROUP BY city ORDER BY city;
SELECT c.city, sum(o.qty * p.price_cents) / 100.0 AS revenue
  FROM orders o JOIN customers c ON c.id = o.customer JOIN products p ON p.id = o.product
  GROUP BY c.city ORDER BY revenue DESC;
SELECT p.name, count(*) AS orders, avg(o.qty) AS avg_qty
  FROM orders o JOIN products p ON p.id = o.product
  GROUP BY p.id ORDER BY orders DESC, p.name LIMIT 5;
SELECT id, note FROM orders WHERE customer = 42 ORDER BY id LIMIT 3;
SELECT max(length(note)), min(price_cents), total(price_cents) FROM orders, products WHERE orders.product = products.id;
PRAGMA integrity_check;
