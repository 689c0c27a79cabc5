-- Searching organisations by name (src/territory/directory.h) with index range scans only.
--
-- A name query is a prefix of the whole search_key or of the key from one of its words on:
-- "etienne" finds Saint-Étienne, "st georges" finds Villeneuve-Saint-Georges. Short prefixes
-- match thousands of organisations ("sai" about 5,000), which are then ranked by kind and
-- population; reading each candidate's row to rank it cost 10 ms, so both ranges below carry
-- the ranking columns and the search reads rows only for the few results it returns.

-- Whole keys: the index of schema 1 on search_key alone, extended to cover the ranking.
DROP INDEX organisations_search_key;
CREATE INDEX organisations_search_key ON organisations(search_key, kind, population, code);

-- Word keys: for a search_key of n words, its suffixes starting at words 2..n:
-- 'villeneuve st georges' gives 'st georges' and 'georges'. kind and population are copies
-- of the organisation's, kept in step by the referential loader
-- (src/territory/referential_loader.cpp), which fills this table.
CREATE TABLE organisation_words (
  word_key TEXT NOT NULL,
  organisation_code TEXT NOT NULL REFERENCES organisations(code) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  population INTEGER,
  PRIMARY KEY (word_key, organisation_code)
) WITHOUT ROWID;
CREATE INDEX organisation_words_organisation ON organisation_words(organisation_code);

-- Organisations loaded under schema 1 get their word keys here, so that the loader, which only
-- rewrites the words of organisations whose name, kind or population changed, finds them.
WITH RECURSIVE suffixes(code, kind, population, rest) AS (
  SELECT code, kind, population, substr(search_key, instr(search_key, ' ') + 1)
    FROM organisations WHERE instr(search_key, ' ') > 0
  UNION ALL
  SELECT code, kind, population, substr(rest, instr(rest, ' ') + 1) FROM suffixes WHERE instr(rest, ' ') > 0
)
INSERT OR IGNORE INTO organisation_words (word_key, organisation_code, kind, population)
  SELECT rest, code, kind, population FROM suffixes;

-- The loader replaces an organisation's postal codes by organisation_code; without this index
-- each replacement (and each ON DELETE CASCADE) scans the whole table.
CREATE INDEX organisation_postal_codes_organisation ON organisation_postal_codes(organisation_code);
