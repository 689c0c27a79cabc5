#include "api/json_body.h"

#include <fmt/format.h>

#include <optional>
#include <set>
#include <vector>

#include "core/text.h"

namespace vigie::api {

namespace {

// Follows the parser's events to find the first member name repeated within one object. RFC
// 8259 §4 leaves duplicate names to implementations; nlohmann keeps the last one silently, so
// {"titre": "A", "titre": "B"} would be read as something the sender may not have meant.
class DuplicateKeyFinder {
 public:
  bool on_event(nlohmann::json::parse_event_t event, const nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    switch (event) {
      case Event::object_start:
      case Event::array_start:
        frames_.push_back({event == Event::object_start, child_path(), {}, {}});
        break;
      case Event::object_end:
      case Event::array_end:
        if (!frames_.empty()) frames_.pop_back();
        break;
      case Event::key:
        if (!frames_.empty() && parsed.is_string()) {
          Frame& frame = frames_.back();
          frame.current_key = parsed.get<std::string>();
          if (!frame.keys.insert(frame.current_key).second && !duplicate_) duplicate_ = child_path();
        }
        break;
      case Event::value:
        break;
    }
    return true;
  }

  // The dotted path of the first repeated member ("titre", "donnees.aipd"), if any.
  const std::optional<std::string>& duplicate() const { return duplicate_; }

 private:
  struct Frame {
    bool object = false;
    std::string path;
    std::string current_key;
    std::set<std::string, std::less<>> keys;
  };

  // The path of what comes next in the innermost container: an object's member, or an
  // array's element (which takes the array's path).
  std::string child_path() const {
    if (frames_.empty()) return {};
    const Frame& frame = frames_.back();
    if (!frame.object) return frame.path;
    return frame.path.empty() ? frame.current_key : frame.path + "." + frame.current_key;
  }

  std::vector<Frame> frames_;
  std::optional<std::string> duplicate_;
};

}  // namespace

Result<nlohmann::json> read_json_body(const web::Request& request) {
  const auto content_type = request.header("content-type");
  if (content_type.substr(0, 16) != "application/json") {
    return Error::invalid("Le corps de la requête doit être du JSON (en-tête Content-Type: application/json).",
                          {{"Content-Type", "doit valoir application/json"}});
  }
  if (!text::is_valid_utf8(request.body)) {
    return Error::invalid("Le corps de la requête n'est pas encodé en UTF-8 valide.", {{"", "encodage invalide (UTF-8 attendu)"}});
  }
  DuplicateKeyFinder finder;
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(request.body, [&finder](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
      return finder.on_event(event, parsed);
    });
  } catch (const nlohmann::json::parse_error& error) {
    return Error::invalid(fmt::format("JSON mal formé à l'octet {} : vérifiez les guillemets, virgules et accolades.", error.byte),
                          {{"", "JSON mal formé"}});
  }
  if (const auto& duplicate = finder.duplicate()) {
    return Error::invalid(fmt::format("Le champ « {} » apparaît plusieurs fois dans le document JSON : gardez-en un seul.", *duplicate),
                          {{*duplicate, "apparaît plusieurs fois"}});
  }
  return document;
}

}  // namespace vigie::api
