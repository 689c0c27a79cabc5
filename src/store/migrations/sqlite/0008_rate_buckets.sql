-- The token buckets of the anonymous-write rate limits (web/rate_limiter.h), shared by every node
-- serving the database (store/instance.h, Instance::update_rate_buckets): one row per client
-- address and one for the whole site. A row unused for a whole window is full again and is
-- forgotten.
CREATE TABLE rate_buckets (
  key TEXT PRIMARY KEY,
  tokens REAL NOT NULL,     -- -1: just created, not yet filled
  updated_ms INTEGER NOT NULL  -- milliseconds since 1970 (UTC)
);
CREATE INDEX rate_buckets_updated ON rate_buckets(updated_ms);
