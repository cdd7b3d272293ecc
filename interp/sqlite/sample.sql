-- sample.sql — makes the sample database (a few MB) that make sqlite embeds.
-- Deterministic: every value derives from row numbers.
PRAGMA page_size = 4096;
CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL);
CREATE TABLE products(id INTEGER PRIMARY KEY, name TEXT NOT NULL, price_cents INTEGER NOT NULL);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER REFERENCES customers,
                    product INTEGER REFERENCES products, qty INTEGER, note TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
INSERT INTO customers SELECT i, 'customer ' || i,
  (CASE i % 7 WHEN 0 THEN 'Lisbon' WHEN 1 THEN 'Oslo' WHEN 2 THEN 'Kyoto' WHEN 3 THEN 'Quito'
   WHEN 4 THEN 'Dakar' WHEN 5 THEN 'Perth' ELSE 'Tallinn' END) FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO products SELECT i, 'product ' || i, 100 + (i * 7919) % 99900 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
INSERT INTO orders SELECT i, 1 + (i * 31) % 2000, 1 + (i * 17) % 300, 1 + i % 9,
  printf('order %d: %s', i, substr('lorem ipsum dolor sit amet consectetur adipiscing elit', 1 + i % 20))
FROM n;
CREATE INDEX orders_customer ON orders(customer);
VACUUM;
