// The JSON API, version 1: fiches (list, get, create, update, archive), authorities and the
// territory search, the assessment toolkit (tools_api.cpp). French resource and field names, RFC 9457 problem documents, cursor
// pagination, ETag on reads and optimistic concurrency on writes (If-Match).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "assessment/assessment_data.h"
#include "domain/taxonomy.h"
#include "search/search_index.h"
#include "store/organisation_directory.h"
#include "store/assessment_store.h"
#include "store/use_case_store.h"
#include "web/router.h"

namespace vigie::api {

struct ApiOptions {
  // Bearer token allowing writes; empty: writes are refused (there is never a default token).
  std::string admin_token;
  std::string base_url;
  // Called after every successful write (to drop cached pages, wake the indexer…).
  std::function<void()> on_change;
  // The OpenAPI description served at /api/v1/openapi.json (data/openapi.json).
  std::string openapi_document;
  // The assessment toolkit's questionnaires; null: the /outils endpoints answer 503.
  const assessment::AssessmentData* assessments = nullptr;
  // Saved assessments, to attach to fiches; null: attaching answers 503.
  store::AssessmentStore* assessment_store = nullptr;
};

class Api {
 public:
  // `index` may be null: /api/v1/recherche then answers 503.
  Api(const domain::Taxonomies& taxonomies, store::UseCaseStore& use_cases, store::OrganisationDirectory& organisations,
      const search::SearchIndex* index, ApiOptions options);
  // Adds the routes to `router`; read-only GET handlers are wrapped by `cached`.
  void register_routes(web::Router& router, const web::CacheDecorator& cached = web::canonical_only_decorator());

 private:
  web::Response list_fiches(const web::Request& request);
  web::Response get_fiche(const web::Request& request);
  web::Response create_fiche(const web::Request& request);
  web::Response update_fiche(const web::Request& request);
  web::Response archive_fiche(const web::Request& request);
  web::Response get_organisation(const web::Request& request);
  web::Response search_territories(const web::Request& request);
  web::Response search_fiches(const web::Request& request);
  web::Response suggestions(const web::Request& request);
  web::Response openapi(const web::Request& request);
  web::Response classify(const web::Request& request);          // tools_api.cpp
  web::Response evaluate_impact(const web::Request& request);   // tools_api.cpp
  web::Response attach_assessment(const web::Request& request); // tools_api.cpp

  // The one place where API writes are authorised: 401 without a bearer token, 403 with a
  // wrong one or when no administrator token is configured. Returns nullopt when allowed.
  std::optional<web::Response> require_admin(const web::Request& request) const;

  const domain::Taxonomies& taxonomies_;
  store::UseCaseStore& use_cases_;
  store::OrganisationDirectory& organisations_;
  const search::SearchIndex* index_;
  ApiOptions options_;
};

}  // namespace vigie::api
