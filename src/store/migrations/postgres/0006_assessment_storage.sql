-- The bytes held by saved assessments' answers, kept by triggers: see
-- ../sqlite/0006_assessment_storage.sql. One row, id 1.
CREATE TABLE assessment_storage (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  answers_bytes BIGINT NOT NULL
);
INSERT INTO assessment_storage (id, answers_bytes)
  VALUES (1, (SELECT coalesce(sum(octet_length(answers)), 0) FROM assessment_versions));

CREATE FUNCTION assessment_versions_bytes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE assessment_storage SET answers_bytes = answers_bytes + octet_length(NEW.answers) WHERE id = 1;
  ELSE
    UPDATE assessment_storage SET answers_bytes = answers_bytes - octet_length(OLD.answers) WHERE id = 1;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER assessment_versions_bytes_added AFTER INSERT ON assessment_versions
  FOR EACH ROW EXECUTE FUNCTION assessment_versions_bytes();
CREATE TRIGGER assessment_versions_bytes_removed AFTER DELETE ON assessment_versions
  FOR EACH ROW EXECUTE FUNCTION assessment_versions_bytes();

CREATE INDEX assessment_versions_saved_at ON assessment_versions(saved_at);
