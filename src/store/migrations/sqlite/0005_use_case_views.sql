-- How often each fiche page was consulted, for « les fiches les plus consultées ». The server
-- counts in memory and adds its counts here every few seconds (app/view_counter.h): no personal
-- data, no row per visit. Counting is not a change of the fiche: no revision, no `changes`
-- entry, no audit-log entry, so the page cache and the search index are not disturbed.
CREATE TABLE use_case_views (
  use_case_id INTEGER PRIMARY KEY REFERENCES use_cases(id) ON DELETE CASCADE,
  views INTEGER NOT NULL
);
CREATE INDEX use_case_views_views ON use_case_views(views DESC);
