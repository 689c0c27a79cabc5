-- How often each fiche page was consulted: see ../sqlite/0005_use_case_views.sql.
CREATE TABLE use_case_views (
  use_case_id BIGINT PRIMARY KEY REFERENCES use_cases(id) ON DELETE CASCADE,
  views BIGINT NOT NULL
);
CREATE INDEX use_case_views_views ON use_case_views(views DESC);
