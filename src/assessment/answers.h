// Answers to a questionnaire, and their two public forms: a JSON object (API, store) and a URL
// query string (shareable links).
//
//   JSON:  {"systeme-ia": "oui", "annexe-iii": ["5a", "1c"]}
//   query: systeme-ia=oui&annexe-iii=5a,1c      (repeated keys are merged: annexe-iii=5a&annexe-iii=1c)
//
// Readers never fail as a whole: every valid answer is kept and every invalid one is reported
// against its question id with a French message, so that a link made with an older version of
// a questionnaire still restores what it can.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "assessment/question.h"
#include "core/result.h"

namespace vigie::assessment {

// Question id -> selected choice ids (exactly one for a single-choice question, in the order
// given for a multiple-choice one).
using Answers = std::map<std::string, std::vector<std::string>, std::less<>>;

struct ParsedAnswers {
  Answers answers;                 // the valid answers
  std::vector<FieldError> errors;  // one per invalid answer; `field` is the question id
};

// Reads a JSON object of answers. A single-choice answer is a string, a multiple-choice one an
// array of strings (at least one). Reported: not an object, unknown question, wrong type,
// choice not offered by the question, duplicate choice, exclusive choice combined with others.
ParsedAnswers answers_from_json(const nlohmann::json& document, const QuestionSource& questions);

// The JSON form of `answers` (strings for single-choice questions, arrays otherwise; answers
// to questions the source does not know are left out).
nlohmann::json answers_to_json(const Answers& answers, const QuestionSource& questions);

// Reads a query string (without '?'), percent-decoding keys and values ('+' is a space).
// Keys listed in `other_parameters` (the page's own parameters) are skipped; empty values are
// ignored (an unticked form field). Same checks as answers_from_json.
ParsedAnswers answers_from_query(std::string_view query, const QuestionSource& questions,
                                 const std::set<std::string, std::less<>>& other_parameters = {});

// The query-string form of `answers`, keys in alphabetical order, choices comma-separated.
// Ids are made of [a-z0-9-], so nothing needs escaping.
std::string answers_to_query(const Answers& answers);

// Checks one answer against its question; returns the French problem or an empty string.
std::string check_answer(const Question& question, const std::vector<std::string>& selected);

}  // namespace vigie::assessment
