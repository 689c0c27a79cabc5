// Errors become HTTP statuses here, and only here. API errors are RFC 9457 problem documents.
#pragma once

#include <string>

#include "core/result.h"
#include "web/http.h"

namespace vigie::web {

// The HTTP status of an error kind: invalid 400, unauthorized 401, forbidden 403,
// not_found 404, conflict 409, too_large 413, exhausted 429, unavailable 503, internal 500.
unsigned status_of(ErrorKind kind);

// French title of a status ("Requête invalide", "Fiche introuvable"…), for problem documents
// and error pages.
std::string title_of(unsigned status);

// RFC 9457 problem document (application/problem+json): type, title, status, detail,
// instance and, for invalid input, "errors": [{"champ": "...", "message": "..."}] — the
// extension member naming the fields (RFC 9457 §3.2).
Response problem(const Error& error, const std::string& instance);
Response problem(unsigned status, const std::string& detail, const std::string& instance);

}  // namespace vigie::web
