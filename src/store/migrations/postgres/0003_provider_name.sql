-- "Aussi déployé par": the provider's name read from the fiche's document, indexed without case
-- (see ../sqlite/0003_provider_name.sql).
CREATE INDEX use_cases_provider_name
  ON use_cases(lower((document::jsonb) -> 'fournisseur' ->> 'nom'))
  WHERE publication_state = 'publiee';
