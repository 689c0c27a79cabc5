-- Secrets that every node serving one database shares (store/instance.h,
-- Instance::shared_secret): the key that signs CSRF tokens, so that a form rendered by one node
-- is accepted by another and forms survive a restart. Drawn by the first node that asks.
CREATE TABLE instance_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at TEXT NOT NULL
);
