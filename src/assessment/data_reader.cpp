#include "assessment/data_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "core/text.h"

namespace vigie::assessment::detail {

namespace {

using nlohmann::json;

const json& empty_array() {
  static const json value = json::array();
  return value;
}

std::string printable(std::string_view value) {
  std::string out;
  for (char c : value.substr(0, 60)) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7F) ? '?' : c;
  }
  // Messages end up in JSON problem documents, which must be valid UTF-8.
  while (!out.empty() && !text::is_valid_utf8(out)) out.pop_back();
  if (out.size() < value.size()) out += "…";
  return out;
}

int to_int(std::string_view digits) {
  int value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

constexpr int kMaximumConditionDepth = 16;

}  // namespace

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > 80 || id.front() == '-' || id.back() == '-') return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

bool is_valid_date(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (date[i] < '0' || date[i] > '9') return false;
  }
  const int year = to_int(date.substr(0, 4));
  const int month = to_int(date.substr(5, 2));
  const int day = to_int(date.substr(8, 2));
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = month == 2 && !leap ? 28 : kDays[month - 1];
  return day <= days;
}

std::string member_text(const json& value, const char* key) {
  if (!value.is_object()) return {};
  const auto found = value.find(key);
  return found != value.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::string in_quotes(std::string_view id) { return fmt::format("« {} »", printable(id)); }

json DataReader::parse(std::string_view text) {
  if (!text::is_valid_utf8(text)) {
    fail("", "le fichier n'est pas en UTF-8");
    return json::object();
  }
  try {
    return json::parse(text);
  } catch (const json::parse_error& error) {
    // nlohmann reports a byte offset; people count lines.
    const std::size_t offset = std::min<std::size_t>(error.byte, text.size());
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
    fail(fmt::format("ligne {}", line), "JSON invalide");
    return json::object();
  }
}

void DataReader::fail(std::string_view where, std::string_view problem) {
  if (error_) return;
  error_ = where.empty() ? Error::invalid(fmt::format("{} : {}", file_, problem))
                         : Error::invalid(fmt::format("{}, {} : {}", file_, where, problem));
}

bool DataReader::object(const json& value, std::string_view where, std::initializer_list<std::string_view> allowed) {
  if (!value.is_object()) {
    fail(where, "un objet JSON est attendu");
    return false;
  }
  for (const auto& item : value.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      fail(where, fmt::format("clé {} inconnue", in_quotes(item.key())));
      return false;
    }
  }
  return true;
}

std::string DataReader::text(const json& object, const char* key, std::string_view where, Need need) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) {
    if (need == Need::required) fail(where, fmt::format("{} manquant", in_quotes(key)));
    return {};
  }
  if (!found->is_string()) {
    fail(where, fmt::format("{} doit être un texte", in_quotes(key)));
    return {};
  }
  std::string value = found->get<std::string>();
  if (need == Need::required && text::trim(value).empty()) fail(where, fmt::format("{} est vide", in_quotes(key)));
  return value;
}

std::string DataReader::id(const json& object, const char* key, std::string_view where, Need need) {
  std::string value = text(object, key, where, need);
  if (!value.empty() && !is_valid_id(value)) {
    fail(where, fmt::format("identifiant {} invalide (lettres minuscules sans accent, chiffres et tirets)", in_quotes(value)));
  }
  return value;
}

std::string DataReader::date(const json& object, const char* key, std::string_view where) {
  std::string value = text(object, key, where, Need::required);
  if (!value.empty() && !is_valid_date(value)) {
    fail(where, fmt::format("date {} invalide pour {} (AAAA-MM-JJ attendu)", in_quotes(value), in_quotes(key)));
  }
  return value;
}

int DataReader::integer(const json& object, const char* key, std::string_view where, Need need, int fallback) {
  const auto found = object.find(key);
  if (found == object.end()) {
    if (need == Need::required) fail(where, fmt::format("{} manquant", in_quotes(key)));
    return fallback;
  }
  if (!found->is_number_integer() || found->get<long long>() < -1'000'000 || found->get<long long>() > 1'000'000) {
    fail(where, fmt::format("{} doit être un nombre entier", in_quotes(key)));
    return fallback;
  }
  return found->get<int>();
}

bool DataReader::boolean(const json& object, const char* key, std::string_view where) {
  const auto found = object.find(key);
  if (found == object.end()) return false;
  if (!found->is_boolean()) {
    fail(where, fmt::format("{} doit valoir true ou false", in_quotes(key)));
    return false;
  }
  return found->get<bool>();
}

std::vector<std::string> DataReader::texts(const json& object, const char* key, std::string_view where) {
  std::vector<std::string> values;
  for (const auto& item : array(object, key, where, Need::optional)) {
    if (!item.is_string()) {
      fail(where, fmt::format("{} doit être une liste de textes", in_quotes(key)));
      return {};
    }
    values.push_back(item.get<std::string>());
  }
  return values;
}

std::vector<std::string> DataReader::ids(const json& object, const char* key, std::string_view where) {
  std::vector<std::string> values = texts(object, key, where);
  for (const auto& value : values) {
    if (!is_valid_id(value)) fail(where, fmt::format("identifiant {} invalide dans {}", in_quotes(value), in_quotes(key)));
  }
  return values;
}

const json& DataReader::array(const json& object, const char* key, std::string_view where, Need need) {
  const auto found = object.find(key);
  if (found == object.end()) {
    if (need == Need::required) fail(where, fmt::format("{} manquant", in_quotes(key)));
    return empty_array();
  }
  if (!found->is_array()) {
    fail(where, fmt::format("{} doit être une liste", in_quotes(key)));
    return empty_array();
  }
  if (need == Need::required && found->empty()) fail(where, fmt::format("{} est une liste vide", in_quotes(key)));
  return *found;
}

Condition DataReader::condition(const json& object, const char* key, std::string_view where) {
  const auto found = object.find(key);
  if (found == object.end()) return {};
  return condition_value(*found, where, 0);
}

Condition DataReader::condition_value(const json& value, std::string_view where, int depth) {
  Condition condition;
  if (depth > kMaximumConditionDepth) {
    fail(where, "condition trop imbriquée");
    return condition;
  }
  if (!value.is_object() || value.empty()) {
    fail(where, "condition invalide : un objet {\"reponse\", \"drapeau\", \"resultat\", \"tous\", \"un\" ou \"non\"} est attendu");
    return condition;
  }
  auto children = [&](const char* key) {
    const json& items = value.at(key);
    if (!items.is_array() || items.empty()) {
      fail(where, fmt::format("condition {} : une liste non vide de conditions est attendue", in_quotes(key)));
      return;
    }
    for (const auto& item : items) condition.children.push_back(condition_value(item, where, depth + 1));
  };
  if (value.contains("reponse")) {
    if (!object(value, where, {"reponse", "egale", "parmi"})) return condition;
    condition.kind = Condition::Kind::answer_among;
    condition.subject = id(value, "reponse", where);
    if (value.contains("egale") == value.contains("parmi")) {
      fail(where, fmt::format("condition sur la réponse {} : « egale » ou « parmi » est attendu (un seul des deux)", in_quotes(condition.subject)));
    } else if (value.contains("egale")) {
      condition.values.push_back(id(value, "egale", where));
    } else {
      condition.values = ids(value, "parmi", where);
      if (condition.values.empty()) fail(where, fmt::format("condition sur la réponse {} : « parmi » est vide", in_quotes(condition.subject)));
    }
  } else if (value.contains("drapeau")) {
    if (!object(value, where, {"drapeau"})) return condition;
    condition.kind = Condition::Kind::flag;
    condition.subject = id(value, "drapeau", where);
  } else if (value.contains("resultat")) {
    if (!object(value, where, {"resultat"})) return condition;
    condition.kind = Condition::Kind::outcome;
    condition.subject = id(value, "resultat", where);
  } else if (value.contains("tous")) {
    if (!object(value, where, {"tous"})) return condition;
    condition.kind = Condition::Kind::all;
    children("tous");
  } else if (value.contains("un")) {
    if (!object(value, where, {"un"})) return condition;
    condition.kind = Condition::Kind::any;
    children("un");
  } else if (value.contains("non")) {
    if (!object(value, where, {"non"})) return condition;
    condition.kind = Condition::Kind::negation;
    condition.children.push_back(condition_value(value.at("non"), where, depth + 1));
  } else {
    fail(where, fmt::format("condition invalide : clé {} inconnue", in_quotes(value.begin().key())));
  }
  return condition;
}

Question DataReader::question(const json& object, std::string question_id, std::string_view where, Weights weights) {
  Question question;
  question.id = std::move(question_id);
  question.label = text(object, "question", where, Need::required);
  question.help = text(object, "aide", where, Need::optional);
  question.examples = texts(object, "exemples", where);
  const std::string kind = text(object, "type", where, Need::required);
  if (kind == "multiple") {
    question.kind = QuestionKind::multiple_choice;
  } else if (kind != "unique" && !failed()) {
    fail(where, fmt::format("type {} inconnu (« unique » ou « multiple »)", in_quotes(kind)));
  }
  std::set<std::string, std::less<>> seen;
  for (const auto& item : array(object, "choix", where, Need::required)) {
    const std::string choice_where = fmt::format("{}, choix {}", where, in_quotes(member_text(item, "id")));
    if (!this->object(item, choice_where, {"id", "libelle", "aide", "poids", "drapeaux", "exclusif"})) break;
    Choice choice;
    choice.id = id(item, "id", choice_where);
    choice.label = text(item, "libelle", choice_where, Need::required);
    choice.help = text(item, "aide", choice_where, Need::optional);
    if (weights == Weights::required) {
      if (!item.contains("poids")) fail(choice_where, "poids manquant");
      choice.weight = integer(item, "poids", choice_where, Need::required);
      if (choice.weight < 0) fail(choice_where, "le poids doit être positif ou nul");
    } else if (item.contains("poids")) {
      fail(choice_where, "« poids » n'a pas de sens dans ce questionnaire");
    }
    choice.flags = ids(item, "drapeaux", choice_where);
    choice.exclusive = boolean(item, "exclusif", choice_where);
    if (choice.exclusive && question.kind != QuestionKind::multiple_choice) {
      fail(choice_where, "« exclusif » ne vaut que pour une question à choix multiple");
    }
    if (!seen.insert(choice.id).second) fail(choice_where, fmt::format("choix {} en double", in_quotes(choice.id)));
    question.choices.push_back(std::move(choice));
  }
  if (!failed() && question.kind == QuestionKind::single_choice && question.choices.size() < 2) {
    fail(where, "une question à choix unique doit proposer au moins deux choix");
  }
  return question;
}

void for_each_leaf(const Condition& condition, const std::function<void(const Condition&)>& visit) {
  switch (condition.kind) {
    case Condition::Kind::always:
      return;
    case Condition::Kind::answer_among:
    case Condition::Kind::flag:
    case Condition::Kind::outcome:
      visit(condition);
      return;
    case Condition::Kind::all:
    case Condition::Kind::any:
    case Condition::Kind::negation:
      for (const auto& child : condition.children) for_each_leaf(child, visit);
      return;
  }
}

}  // namespace vigie::assessment::detail
