-- Searching organisations by name (store/organisation_backend.h) with range scans of one index.
--
-- A name query is a prefix of an organisation's search_key, or of that key from one of its
-- later words on: "etienne" finds Saint-Étienne, "st georges" Villeneuve-Saint-Georges. So
-- each organisation has one row per word of its key, holding the key from that word on:
-- 'villeneuve st georges' gives 'villeneuve st georges' (first_word = 1), 'st georges' and
-- 'georges'. A prefix query is then one range scan on word_key.
--
-- Short prefixes match thousands of organisations ("sai": about 5,000), which are ranked by
-- kind and population; computing that order from organisations.kind for each candidate cost
-- more than the scan itself, so the rows carry it precomputed as integers
-- (src/domain/search_rank.h): `rank` orders the organisation among prefix matches, `exact_rank` among
-- the names equal to the query, all of which come first.
--
-- Filled and kept in step by the referential loader (src/territory/referential_loader.cpp),
-- which also fills it for organisations loaded before this table existed. A change to the
-- ranking needs a migration that empties this table; the next load refills it.
CREATE TABLE organisation_words (
  word_key TEXT NOT NULL,
  organisation_code TEXT NOT NULL REFERENCES organisations(code) ON DELETE CASCADE,
  first_word INTEGER NOT NULL,      -- 1 when word_key is the whole search_key
  rank INTEGER NOT NULL,
  exact_rank INTEGER NOT NULL,
  PRIMARY KEY (word_key, organisation_code)
) WITHOUT ROWID;
CREATE INDEX organisation_words_organisation ON organisation_words(organisation_code);

-- The loader replaces an organisation's postal codes by organisation_code; without this index
-- each replacement (and each ON DELETE CASCADE from organisations) scans the whole table.
CREATE INDEX organisation_postal_codes_organisation ON organisation_postal_codes(organisation_code);
