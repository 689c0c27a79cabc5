-- Searching organisations by name: see ../sqlite/0002_organisation_words.sql. COLLATE "C" keeps
-- SQLite's byte order, so prefix ranges on word_key use the primary key's index.
CREATE TABLE organisation_words (
  word_key TEXT NOT NULL COLLATE "C",
  organisation_code TEXT NOT NULL REFERENCES organisations(code) ON DELETE CASCADE,
  first_word INTEGER NOT NULL,  -- 1 for the key of the whole name, 0 for the key from a later word on
  -- the ranks of domain/search_rank.h: 64-bit integers
  rank BIGINT NOT NULL,
  exact_rank BIGINT NOT NULL,
  PRIMARY KEY (word_key, organisation_code)
);
CREATE INDEX organisation_words_organisation ON organisation_words(organisation_code);

CREATE INDEX organisation_postal_codes_organisation ON organisation_postal_codes(organisation_code);
