// Conditions of the assessment data files: when a routing rule matches, when a question
// applies, when a duty follows. Written in JSON:
//
//   absent                                   always true
//   {"reponse": "q", "egale": "c"}           question q was answered with choice c (among others)
//   {"reponse": "q", "parmi": ["a", "b"]}    q was answered with at least one of the choices
//   {"drapeau": "f"}                         flag f is set (classification tree)
//   {"resultat": "o"}                        outcome o was reached (classification tree)
//   {"tous": [...]}, {"un": [...]}, {"non": {...}}   and, or, not
#pragma once

#include <set>
#include <string>
#include <vector>

#include "assessment/answers.h"

namespace vigie::assessment {

using IdSet = std::set<std::string, std::less<>>;

struct Condition {
  enum class Kind { always, answer_among, flag, outcome, all, any, negation };
  Kind kind = Kind::always;
  std::string subject;              // question id (answer_among), flag id (flag), outcome id (outcome)
  std::vector<std::string> values;  // answer_among: the choice ids
  std::vector<Condition> children;  // all, any; negation has exactly one
};

// What a condition is evaluated against. Null sets are empty.
struct Facts {
  const Answers* answers = nullptr;
  const IdSet* flags = nullptr;
  const IdSet* outcomes = nullptr;
};

bool holds(const Condition& condition, const Facts& facts);

}  // namespace vigie::assessment
