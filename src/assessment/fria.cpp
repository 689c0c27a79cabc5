#include "assessment/fria.h"

#include <fmt/format.h>

#include <set>

#include "assessment/data_reader.h"
#include "core/file.h"
#include "core/text.h"
#include "domain/use_case_json.h"

namespace vigie::assessment {

using detail::DataReader;
using detail::Need;
using detail::in_quotes;
using nlohmann::json;

namespace {

// The value at a dotted path of the fiche's JSON form, or nullptr.
const json* at_path(const json& document, std::string_view path) {
  const json* current = &document;
  while (!path.empty()) {
    const std::size_t dot = path.find('.');
    const std::string key(path.substr(0, dot));
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    if (!current->is_object()) return nullptr;
    const auto found = current->find(key);
    if (found == current->end()) return nullptr;
    current = &*found;
  }
  return current;
}

}  // namespace

class FriaTemplateParser {
 public:
  explicit FriaTemplateParser(std::string_view file) : reader_(std::string(file)) {}

  Result<FriaTemplate> parse(std::string_view json_text) {
    const json document = reader_.parse(json_text);
    if (reader_.failed()) return reader_.error();
    if (!reader_.object(document, "", {"version", "titre", "introduction", "sections"})) return reader_.error();
    fria_.version_ = reader_.text(document, "version", "", Need::required);
    fria_.title_ = reader_.text(document, "titre", "", Need::required);
    fria_.introduction_ = reader_.text(document, "introduction", "", Need::required);
    const json empty_fiche = domain::to_json(domain::UseCase{});
    static constexpr const char* kLetters[] = {"a", "b", "c", "d", "e", "f"};
    std::set<std::string, std::less<>> section_ids;
    std::set<std::string, std::less<>> field_ids;
    std::size_t number = 0;
    for (const auto& item : reader_.array(document, "sections", "", Need::required)) {
      const std::string where = fmt::format("section {}", in_quotes(detail::member_text(item, "id")));
      if (!reader_.object(item, where, {"id", "lettre", "titre", "reference", "aide", "champs"})) break;
      FriaSection section;
      section.id = reader_.id(item, "id", where);
      section.letter = reader_.text(item, "lettre", where, Need::required);
      section.title = reader_.text(item, "titre", where, Need::required);
      section.reference = reader_.text(item, "reference", where, Need::required);
      section.help = reader_.text(item, "aide", where, Need::optional);
      if (number < 6 && section.letter != kLetters[number]) {
        reader_.fail(where, fmt::format("lettre {} au lieu de {} : les six éléments de l'article 27 vont de a) à f), dans l'ordre", in_quotes(section.letter), in_quotes(kLetters[number])));
      }
      ++number;
      if (!section_ids.insert(section.id).second) reader_.fail(where, "identifiant en double");
      for (const auto& field_item : reader_.array(item, "champs", where, Need::required)) {
        const std::string field_where = fmt::format("champ {}", in_quotes(detail::member_text(field_item, "id")));
        if (!reader_.object(field_item, field_where, {"id", "libelle", "aide", "type", "obligatoire", "preRemplissage", "taxonomie"})) break;
        FriaField field;
        field.id = reader_.id(field_item, "id", field_where);
        field.label = reader_.text(field_item, "libelle", field_where, Need::required);
        field.help = reader_.text(field_item, "aide", field_where, Need::optional);
        const std::string kind = reader_.text(field_item, "type", field_where, Need::required);
        if (kind == "texte") {
          field.kind = FriaFieldKind::short_text;
        } else if (kind == "date") {
          field.kind = FriaFieldKind::date;
        } else if (kind != "texte-long") {
          reader_.fail(field_where, fmt::format("type {} inconnu (« texte », « texte-long » ou « date »)", in_quotes(kind)));
        }
        field.required = reader_.boolean(field_item, "obligatoire", field_where);
        field.prefill_from = reader_.text(field_item, "preRemplissage", field_where, Need::optional);
        field.taxonomy = reader_.text(field_item, "taxonomie", field_where, Need::optional);
        if (!field.prefill_from.empty() && !at_path(empty_fiche, field.prefill_from)) {
          reader_.fail(field_where, fmt::format("« preRemplissage » : {} n'est pas un champ de la fiche", in_quotes(field.prefill_from)));
        }
        if (!field.taxonomy.empty() && field.prefill_from.empty()) reader_.fail(field_where, "« taxonomie » sans « preRemplissage »");
        if (!field_ids.insert(field.id).second) reader_.fail(field_where, "identifiant en double");
        section.fields.push_back(std::move(field));
      }
      fria_.sections_.push_back(std::move(section));
    }
    if (!reader_.failed() && fria_.sections_.size() != 6) {
      reader_.fail("sections", fmt::format("{} sections au lieu des six éléments a) à f) de l'article 27", fria_.sections_.size()));
    }
    if (reader_.failed()) return reader_.error();
    return std::move(fria_);
  }

 private:
  DataReader reader_;
  FriaTemplate fria_;
};

Result<FriaTemplate> FriaTemplate::parse(std::string_view json_text, std::string_view file) {
  // The reader checks every type before reading a value; this only guards against a check
  // forgotten there (nlohmann reports type errors by exception).
  try {
    return FriaTemplateParser(file).parse(json_text);
  } catch (const nlohmann::json::exception& error) {
    return Error::invalid(fmt::format("{} : contenu inattendu ({})", file, error.what()));
  }
}

Result<FriaTemplate> FriaTemplate::load(const std::filesystem::path& path) {
  TRY_ASSIGN(const std::string content, read_file(path));
  return parse(content, path.string());
}

const FriaField* FriaTemplate::find_field(std::string_view id) const {
  for (const auto& section : sections_) {
    for (const auto& field : section.fields) {
      if (field.id == id) return &field;
    }
  }
  return nullptr;
}

std::map<std::string, std::string> prefill(const FriaTemplate& fria, const domain::UseCase& use_case, const domain::Taxonomies& taxonomies) {
  std::map<std::string, std::string> values;
  const json fiche = domain::to_json(use_case);
  for (const auto& section : fria.sections()) {
    for (const auto& field : section.fields) {
      if (field.prefill_from.empty()) continue;
      const json* value = at_path(fiche, field.prefill_from);
      if (!value) continue;
      const auto taxonomy = taxonomies.all().find(field.taxonomy);
      auto label = [&](const std::string& code) {
        return taxonomy == taxonomies.all().end() ? code : taxonomy->second.label(code);
      };
      std::string text;
      if (value->is_string()) {
        text = label(value->get<std::string>());
      } else if (value->is_boolean()) {
        text = value->get<bool>() ? "Oui" : "Non";
      } else if (value->is_number()) {
        text = value->dump();
      } else if (value->is_array()) {
        for (const auto& item : *value) {
          if (!item.is_string() || item.get<std::string>().empty()) continue;
          if (!text.empty()) text += ", ";
          text += label(item.get<std::string>());
        }
      }
      if (!text::trim(text).empty()) values.emplace(field.id, std::move(text));
    }
  }
  return values;
}

std::vector<FieldError> check_fria(const FriaTemplate& fria, const std::map<std::string, std::string>& values) {
  std::vector<FieldError> errors;
  for (const auto& [id, value] : values) {
    const FriaField* field = fria.find_field(id);
    if (!field) {
      errors.push_back({id, "champ inconnu"});
    } else if (!text::is_valid_utf8(value)) {
      errors.push_back({id, "contient des caractères invalides (UTF-8 attendu)"});
    } else if (text::length(value) > domain::kTextMaxLength) {
      errors.push_back({id, fmt::format("ne doit pas dépasser {} caractères", text::group_digits(static_cast<long long>(domain::kTextMaxLength)))});
    } else if (field->kind == FriaFieldKind::date && !value.empty() && !detail::is_valid_date(value)) {
      errors.push_back({id, "doit être une date AAAA-MM-JJ"});
    }
  }
  for (const auto& section : fria.sections()) {
    for (const auto& field : section.fields) {
      const auto found = values.find(field.id);
      if (field.required && (found == values.end() || text::trim(found->second).empty())) errors.push_back({field.id, "est obligatoire"});
    }
  }
  return errors;
}

}  // namespace vigie::assessment
