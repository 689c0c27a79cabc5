-- wrk script: POST /api/v1/fiches, a new published fiche each request, with the administrator
-- token of the environment variable BENCH_TOKEN (issue 10's write benchmark).
local token = os.getenv("BENCH_TOKEN") or error("BENCH_TOKEN is not set")
wrk.method = "POST"
wrk.path = "/api/v1/fiches"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.body = '{"titre":"Tri automatique des courriers entrants (banc d\'essai)",' ..
  '"resume":"Un outil propose le service destinataire de chaque courrier.","porteurs":["213502388"],' ..
  '"domaines":["urbanisme-logement"],"finalites":["automatisation"],"techniques":["tal"],"publics":["agents"],' ..
  '"statut":"experimentation","etatPublication":"publiee"}'
