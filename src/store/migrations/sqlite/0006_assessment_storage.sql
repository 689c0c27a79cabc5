-- The bytes held by saved assessments' answers, kept up to date by triggers so that the storage
-- quota of anonymous saves (store/assessment_store.h, AssessmentLimits) is read in one row
-- rather than by summing every version. One row, id 1.
CREATE TABLE assessment_storage (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  answers_bytes INTEGER NOT NULL
);
INSERT INTO assessment_storage (id, answers_bytes)
  VALUES (1, (SELECT coalesce(sum(length(CAST(answers AS BLOB))), 0) FROM assessment_versions));

CREATE TRIGGER assessment_versions_bytes_added AFTER INSERT ON assessment_versions BEGIN
  UPDATE assessment_storage SET answers_bytes = answers_bytes + length(CAST(NEW.answers AS BLOB)) WHERE id = 1;
END;
CREATE TRIGGER assessment_versions_bytes_removed AFTER DELETE ON assessment_versions BEGIN
  UPDATE assessment_storage SET answers_bytes = answers_bytes - length(CAST(OLD.answers AS BLOB)) WHERE id = 1;
END;

-- Superseded versions are pruned oldest first.
CREATE INDEX assessment_versions_saved_at ON assessment_versions(saved_at);
