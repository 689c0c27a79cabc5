-- Saved assessments of the toolkit (src/assessment/, src/store/assessment_store.h): the answers
-- to one questionnaire, reached through a private link. The link's token is never stored,
-- only its BLAKE2b hash, so that reading the database does not give the links. Results are
-- not stored here: they are recomputed from the answers with the questionnaire version
-- recorded. An attached assessment's latest result is kept in the fiche's document
-- ("evaluations"), where the search index and the API read it.
CREATE TABLE assessments (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,  -- hex BLAKE2b-256 of the private token
  tool TEXT NOT NULL,               -- 'classification-ai-act', 'evaluation-impact', 'analyse-droits-fondamentaux'
  use_case_id INTEGER REFERENCES use_cases(id) ON DELETE SET NULL,  -- the fiche it is attached to
  published INTEGER NOT NULL DEFAULT 0,  -- the authority publishes its answers with the fiche
  created_at TEXT NOT NULL
);
CREATE INDEX assessments_use_case ON assessments(use_case_id) WHERE use_case_id IS NOT NULL;

-- Every version of every assessment, never overwritten.
CREATE TABLE assessment_versions (
  assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  questionnaire_version TEXT NOT NULL,
  answers TEXT NOT NULL,  -- JSON object: question id -> answer
  saved_at TEXT NOT NULL,
  PRIMARY KEY (assessment_id, version)
) WITHOUT ROWID;
