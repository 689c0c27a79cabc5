-- Vigie schema, version 1. The full fiche lives in use_cases.document (JSON, the format of
-- the public API); the other use_case_* tables are derived from it in the same transaction,
-- for filtering, joins and counts.

CREATE TABLE referential_sources (
  source TEXT PRIMARY KEY,          -- e.g. '@etalab/decoupage-administratif'
  version TEXT NOT NULL,
  loaded_at TEXT NOT NULL
);

-- Every authority of the territorial referential, and later any organisation owning fiches.
-- `code` is the SIREN when the referential gives one, otherwise a Vigie code built from the
-- INSEE code: 'region-53', 'departement-35', 'com-987', 'commune-98735',
-- 'commune-deleguee-01015', 'arrondissement-municipal-13201'.
CREATE TABLE organisations (
  code TEXT PRIMARY KEY,
  siren TEXT UNIQUE,
  kind TEXT NOT NULL,               -- data/taxonomies/types-collectivites.csv
  insee_code TEXT,                  -- INSEE code of the commune, département, région, COM
  name TEXT NOT NULL,
  search_key TEXT NOT NULL,         -- text::place_key(name)
  population INTEGER,
  department_code TEXT,             -- INSEE code of the département ('35', '2A', '974', '987')
  region_code TEXT,                 -- INSEE code of the région
  parent_code TEXT REFERENCES organisations(code),  -- the commune of a delegated/associated commune or arrondissement
  epci_code TEXT REFERENCES organisations(code),    -- the EPCI a commune belongs to
  epci_kind TEXT,                   -- CC, CA, CU, METRO, MET69 for EPCI
  zone TEXT,                        -- metro, drom, com
  postal_codes TEXT NOT NULL DEFAULT '',  -- space-separated
  source_version TEXT,              -- referential version that last wrote the row
  updated_at TEXT NOT NULL
);
CREATE INDEX organisations_search_key ON organisations(search_key);
CREATE INDEX organisations_insee ON organisations(insee_code);
CREATE INDEX organisations_parent ON organisations(parent_code);
CREATE INDEX organisations_epci ON organisations(epci_code);
CREATE INDEX organisations_kind ON organisations(kind, department_code);

CREATE TABLE organisation_postal_codes (
  postal_code TEXT NOT NULL,
  organisation_code TEXT NOT NULL REFERENCES organisations(code) ON DELETE CASCADE,
  PRIMARY KEY (postal_code, organisation_code)
) WITHOUT ROWID;

CREATE TABLE use_cases (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  title_key TEXT NOT NULL,          -- text::fold(title), for sorting by title
  slug TEXT NOT NULL,
  status TEXT NOT NULL,
  publication_state TEXT NOT NULL,
  demo INTEGER NOT NULL DEFAULT 0,
  revision INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  document TEXT NOT NULL            -- the whole fiche, JSON (domain/use_case_json.h)
);
CREATE INDEX use_cases_recent ON use_cases(publication_state, updated_at DESC, id DESC);
CREATE INDEX use_cases_title ON use_cases(publication_state, title_key, id);

CREATE TABLE use_case_owners (
  use_case_id INTEGER NOT NULL REFERENCES use_cases(id) ON DELETE CASCADE,
  organisation_code TEXT NOT NULL REFERENCES organisations(code),
  position INTEGER NOT NULL,
  PRIMARY KEY (use_case_id, organisation_code)
) WITHOUT ROWID;
CREATE INDEX use_case_owners_organisation ON use_case_owners(organisation_code, use_case_id);

-- Taxonomy codes of a fiche: taxonomy is the API field name ('domaines', 'techniques',
-- 'finalites', 'publics', 'statut', 'categorieAiAct', 'fournisseur', ...).
CREATE TABLE use_case_terms (
  use_case_id INTEGER NOT NULL REFERENCES use_cases(id) ON DELETE CASCADE,
  taxonomy TEXT NOT NULL,
  code TEXT NOT NULL,
  PRIMARY KEY (use_case_id, taxonomy, code)
) WITHOUT ROWID;
CREATE INDEX use_case_terms_code ON use_case_terms(taxonomy, code, use_case_id);

CREATE TABLE use_case_relations (
  source_id INTEGER NOT NULL REFERENCES use_cases(id) ON DELETE CASCADE,
  target_id INTEGER NOT NULL REFERENCES use_cases(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  PRIMARY KEY (source_id, target_id, type)
) WITHOUT ROWID;
CREATE INDEX use_case_relations_target ON use_case_relations(target_id);

-- Every revision of every fiche, never overwritten.
CREATE TABLE use_case_revisions (
  use_case_id INTEGER NOT NULL REFERENCES use_cases(id) ON DELETE CASCADE,
  revision INTEGER NOT NULL,
  document TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  actor TEXT NOT NULL,
  PRIMARY KEY (use_case_id, revision)
) WITHOUT ROWID;

-- Monotonic sequence of changes to searchable records, appended in the writing transaction;
-- the search indexer follows it.
CREATE TABLE changes (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  operation TEXT NOT NULL,          -- create, update, archive
  changed_at TEXT NOT NULL
);

-- Who changed what, when: every write through the site, the API or the command line.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  revision INTEGER,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
