#include "web/problem.h"

#include <nlohmann/json.hpp>

namespace vigie::web {

unsigned status_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid: return 400;
    case ErrorKind::unauthorized: return 401;
    case ErrorKind::forbidden: return 403;
    case ErrorKind::not_found: return 404;
    case ErrorKind::conflict: return 409;
    case ErrorKind::too_large: return 413;
    case ErrorKind::exhausted: return 429;
    case ErrorKind::unavailable: return 503;
    case ErrorKind::internal: break;
  }
  return 500;
}

std::string title_of(unsigned status) {
  switch (status) {
    case 400: return "Requête invalide";
    case 401: return "Authentification requise";
    case 403: return "Accès refusé";
    case 404: return "Page introuvable";
    case 405: return "Méthode non autorisée";
    case 406: return "Format non disponible";
    case 409: return "Conflit de modification";
    case 412: return "Condition préalable non remplie";
    case 413: return "Requête trop volumineuse";
    case 415: return "Type de contenu non pris en charge";
    case 428: return "Condition préalable requise";
    case 429: return "Trop de requêtes";
    case 503: return "Service momentanément indisponible";
    default: return status >= 500 ? "Erreur interne du serveur" : "Erreur";
  }
}

namespace {

Response make_problem(unsigned status, const std::string& detail, const std::string& instance, const std::vector<FieldError>& fields) {
  nlohmann::json document{
      {"type", "about:blank"},
      {"title", title_of(status)},
      {"status", status},
      {"detail", detail},
      {"instance", instance},
  };
  if (!fields.empty()) {
    auto errors = nlohmann::json::array();
    for (const auto& field : fields) errors.push_back({{"champ", field.field}, {"message", field.message}});
    document["errors"] = std::move(errors);
  }
  Response response = Response::json(document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), status);
  response.content_type = "application/problem+json; charset=utf-8";
  return response;
}

}  // namespace

Response problem(const Error& error, const std::string& instance) {
  return make_problem(status_of(error.kind), error.message, instance, error.fields);
}

Response problem(unsigned status, const std::string& detail, const std::string& instance) {
  return make_problem(status, detail, instance, {});
}

}  // namespace vigie::web
