-- Searching organisations by name: see ../sqlite/0002_organisation_words.sql. COLLATE "C" keeps
-- SQLite's byte order, so prefix ranges on word_key use the primary key's index.
CREATE TABLE organisation_words (
  word_key TEXT NOT NULL COLLATE "C",
  organisation_code TEXT NOT NULL REFERENCES organisations(code) ON DELETE CASCADE,
  first_word INTEGER NOT NULL,
  rank INTEGER NOT NULL,
  exact_rank INTEGER NOT NULL,
  PRIMARY KEY (word_key, organisation_code)
);
CREATE INDEX organisation_words_organisation ON organisation_words(organisation_code);

CREATE INDEX organisation_postal_codes_organisation ON organisation_postal_codes(organisation_code);
