#include "assessment/answers.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"

namespace vigie::assessment {

namespace {

using nlohmann::json;

std::string choice_list(const Question& question) {
  std::string list;
  for (const auto& choice : question.choices) {
    if (!list.empty()) list += ", ";
    list += choice.id;
  }
  return list;
}

// Control characters and invalid bytes are never echoed back in messages.
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

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

void add_checked(ParsedAnswers& parsed, const QuestionSource& questions, const std::string& id, std::vector<std::string> selected) {
  const Question* question = questions.find_question(id);
  if (!question) {
    parsed.errors.push_back({printable(id), "question inconnue"});
    return;
  }
  if (std::string problem = check_answer(*question, selected); !problem.empty()) {
    parsed.errors.push_back({id, std::move(problem)});
    return;
  }
  parsed.answers[id] = std::move(selected);
}

}  // namespace

std::string check_answer(const Question& question, const std::vector<std::string>& selected) {
  if (selected.empty()) return "aucun choix : au moins une réponse est attendue";
  if (question.kind == QuestionKind::single_choice && selected.size() > 1) return "une seule réponse est attendue";
  bool has_exclusive = false;
  for (std::size_t i = 0; i < selected.size(); ++i) {
    const Choice* choice = question.find_choice(selected[i]);
    if (!choice) {
      return fmt::format("« {} » n'est pas un choix de cette question (choix possibles : {})", printable(selected[i]), choice_list(question));
    }
    if (std::find(selected.begin(), selected.begin() + static_cast<std::ptrdiff_t>(i), selected[i]) != selected.begin() + static_cast<std::ptrdiff_t>(i)) {
      return fmt::format("« {} » est en double", selected[i]);
    }
    has_exclusive = has_exclusive || choice->exclusive;
  }
  if (has_exclusive && selected.size() > 1) {
    for (const auto& id : selected) {
      const Choice* choice = question.find_choice(id);
      if (choice->exclusive) return fmt::format("« {} » ne peut pas être combiné avec d'autres choix", choice->label);
    }
  }
  return {};
}

ParsedAnswers answers_from_json(const json& document, const QuestionSource& questions) {
  ParsedAnswers parsed;
  if (!document.is_object()) {
    parsed.errors.push_back({"reponses", "un objet JSON { identifiant de question : réponse } est attendu"});
    return parsed;
  }
  for (const auto& [id, value] : document.items()) {
    const Question* question = questions.find_question(id);
    if (!question) {
      parsed.errors.push_back({printable(id), "question inconnue"});
      continue;
    }
    std::vector<std::string> selected;
    if (question->kind == QuestionKind::single_choice) {
      if (!value.is_string()) {
        parsed.errors.push_back({id, "doit être l'identifiant d'un choix (texte)"});
        continue;
      }
      selected.push_back(value.get<std::string>());
    } else {
      if (!value.is_array() || !std::all_of(value.begin(), value.end(), [](const json& item) { return item.is_string(); })) {
        parsed.errors.push_back({id, "doit être une liste d'identifiants de choix"});
        continue;
      }
      for (const auto& item : value) selected.push_back(item.get<std::string>());
    }
    add_checked(parsed, questions, id, std::move(selected));
  }
  return parsed;
}

json answers_to_json(const Answers& answers, const QuestionSource& questions) {
  json document = json::object();
  for (const auto& [id, selected] : answers) {
    const Question* question = questions.find_question(id);
    if (!question || selected.empty()) continue;
    if (question->kind == QuestionKind::single_choice) {
      document[id] = selected.front();
    } else {
      document[id] = selected;
    }
  }
  return document;
}

ParsedAnswers answers_from_query(std::string_view query, const QuestionSource& questions,
                                 const std::set<std::string, std::less<>>& other_parameters) {
  // Gather first (repeated keys merge, in order of appearance), check afterwards.
  std::vector<std::pair<std::string, std::vector<std::string>>> gathered;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    const std::string key = percent_decode(pair.substr(0, equals));
    const std::string value = equals == std::string_view::npos ? std::string() : percent_decode(pair.substr(equals + 1));
    if (other_parameters.count(key)) continue;
    auto entry = std::find_if(gathered.begin(), gathered.end(), [&](const auto& item) { return item.first == key; });
    if (entry == gathered.end()) {
      gathered.emplace_back(key, std::vector<std::string>{});
      entry = std::prev(gathered.end());
    }
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string_view item = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (!item.empty()) entry->second.emplace_back(item);
    }
  }
  ParsedAnswers parsed;
  for (auto& [key, selected] : gathered) {
    if (selected.empty() && questions.find_question(key)) continue;
    add_checked(parsed, questions, key, std::move(selected));
  }
  return parsed;
}

std::string answers_to_query(const Answers& answers) {
  std::string query;
  for (const auto& [id, selected] : answers) {
    if (selected.empty()) continue;
    if (!query.empty()) query += '&';
    query += id;
    query += '=';
    for (std::size_t i = 0; i < selected.size(); ++i) {
      if (i > 0) query += ',';
      query += selected[i];
    }
  }
  return query;
}

}  // namespace vigie::assessment
