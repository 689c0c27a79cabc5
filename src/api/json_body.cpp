#include "api/json_body.h"

#include <fmt/format.h>

#include "core/text.h"

namespace vigie::api {

Result<nlohmann::json> read_json_body(const web::Request& request) {
  const auto content_type = request.header("content-type");
  if (content_type.substr(0, 16) != "application/json") {
    return Error::invalid("Le corps de la requête doit être du JSON (en-tête Content-Type: application/json).",
                          {{"Content-Type", "doit valoir application/json"}});
  }
  if (!text::is_valid_utf8(request.body)) {
    return Error::invalid("Le corps de la requête n'est pas encodé en UTF-8 valide.", {{"", "encodage invalide (UTF-8 attendu)"}});
  }
  try {
    return nlohmann::json::parse(request.body);
  } catch (const nlohmann::json::parse_error& error) {
    return Error::invalid(fmt::format("JSON mal formé à l'octet {} : vérifiez les guillemets, virgules et accolades.", error.byte),
                          {{"", "JSON mal formé"}});
  }
}

}  // namespace vigie::api
