-- "Aussi déployé par" on a fiche (SqliteUseCaseStore::deployments) finds the other fiches of
-- the same named solution: the provider's name, read from the fiche's document, is indexed
-- case-insensitively so that the lookup is one index range, not a scan of every document.
CREATE INDEX use_cases_provider_name
  ON use_cases(json_extract(document, '$.fournisseur.nom') COLLATE NOCASE)
  WHERE publication_state = 'publiee';
