// Internal to the assessment module: reading its JSON data files with French errors naming the
// file, the element (node, question, outcome…) and the problem. The reader keeps the first
// problem met and returns empty values afterwards, so that parsers read straight through and
// check failed() once (a sticky status, as in leveldb's log reader).
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "assessment/condition.h"
#include "assessment/question.h"
#include "core/result.h"

namespace vigie::assessment::detail {

enum class Need { required, optional };
enum class Weights { required, forbidden };

// True for lower-case ASCII letters, digits and inner hyphens (ids of nodes, choices, flags…).
bool is_valid_id(std::string_view id);
// True for a real calendar date "YYYY-MM-DD".
bool is_valid_date(std::string_view date);

class DataReader {
 public:
  explicit DataReader(std::string file) : file_(std::move(file)) {}

  // Parses `text`; on failure records "JSON invalide" with the line.
  nlohmann::json parse(std::string_view text);

  bool failed() const { return error_.has_value(); }
  // Precondition: failed().
  Error error() const { return *error_; }
  // Records `problem` at `where` ("nœud « role »"; empty for the whole file) unless a problem
  // was already recorded.
  void fail(std::string_view where, std::string_view problem);

  // Checks that `value` is an object with only `allowed` keys.
  bool object(const nlohmann::json& value, std::string_view where, std::initializer_list<std::string_view> allowed);
  std::string text(const nlohmann::json& object, const char* key, std::string_view where, Need need);
  std::string id(const nlohmann::json& object, const char* key, std::string_view where, Need need = Need::required);
  std::string date(const nlohmann::json& object, const char* key, std::string_view where);
  int integer(const nlohmann::json& object, const char* key, std::string_view where, Need need, int fallback = 0);
  bool boolean(const nlohmann::json& object, const char* key, std::string_view where);
  std::vector<std::string> texts(const nlohmann::json& object, const char* key, std::string_view where);
  std::vector<std::string> ids(const nlohmann::json& object, const char* key, std::string_view where);
  // The array at `key`, or an empty one (with a problem recorded when required).
  const nlohmann::json& array(const nlohmann::json& object, const char* key, std::string_view where, Need need);
  // The condition at `key`; `always` when absent.
  Condition condition(const nlohmann::json& object, const char* key, std::string_view where);
  // Reads the question keys of `object`: "question", "aide", "exemples", "type" ("unique" or
  // "multiple"), "choix" [{"id", "libelle", "aide", "poids", "drapeaux", "exclusif"}].
  Question question(const nlohmann::json& object, std::string id, std::string_view where, Weights weights);

 private:
  Condition condition_value(const nlohmann::json& value, std::string_view where, int depth);

  std::string file_;
  std::optional<Error> error_;
};

// Calls `visit` for every leaf of `condition` (answer_among, flag, outcome).
void for_each_leaf(const Condition& condition, const std::function<void(const Condition&)>& visit);

// The text at `key` of `value` when `value` is an object holding a string there, else "" (for
// naming an element in messages before it is checked).
std::string member_text(const nlohmann::json& value, const char* key);

// `id` between French quotes for messages, control characters replaced: « role ».
std::string in_quotes(std::string_view id);

}  // namespace vigie::assessment::detail
