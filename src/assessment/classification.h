// AI Act pre-classification (Regulation (EU) 2024/1689): a decision tree read from
// data/assessment/classification-ai-act.json, and the walk from answers to outcomes.
//
// The tree is a list of nodes in order. A node asks one question (or none: an automatic node
// that only routes on what is known). Walking it:
//   1. start at the first node;
//   2. at a question node without an answer, stop: the result is incomplete and names the
//      question to ask next;
//   3. the flags of the selected choices are set;
//   4. the node's rules are tried in order and the first whose condition holds (on answers,
//      flags and outcomes so far) sets its flags, adds its outcomes and says where to go: a
//      later node, "fin", or (when it says nothing) the following node; when no rule holds,
//      the following node;
//   5. past the last node, the walk ends.
// Outcomes accumulate (high risk and transparency duties together). Rules only jump forward
// (checked at load), so every walk ends. Answers to nodes off the path are ignored: changing
// an answer and changing it back gives the same result as answering once, and the result is
// recomputed from the stored answers every time.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assessment/answers.h"
#include "assessment/condition.h"
#include "assessment/question.h"
#include "core/result.h"

namespace vigie::assessment {

inline constexpr std::string_view kEndOfTree = "fin";

// A fact established on the way, e.g. "annexe-iii-5a" (Annex III, point 5(a)).
struct Flag {
  std::string id;
  std::string label;      // French
  std::string reference;  // legal reference, may be empty
};

// A duty of a public deployer, one line of the checklist.
struct Duty {
  std::string id;
  std::string label;         // what to do, French
  std::string help;          // French; may be empty
  std::string reference;     // "Règlement (UE) 2024/1689, article 26, paragraphe 6"
  std::string applies_from;  // "YYYY-MM-DD"
  Condition applies_when;    // on the final answers, flags and outcomes
};

struct Outcome {
  std::string id;             // "haut-risque-annexe-iii"
  std::string code;           // "HIGH_RISK_ANNEX_III"
  std::string label;          // French
  std::string description;    // French
  std::string reference;
  std::string applies_from;   // "YYYY-MM-DD"
  std::string fiche_category; // code of data/taxonomies/categories-ai-act.csv for the fiche
  std::vector<std::string> duties;  // duty ids, in checklist order
};

struct Rule {
  Condition condition;
  std::vector<std::string> flags;
  std::vector<std::string> outcomes;
  std::string next;  // node id, kEndOfTree, or empty for the following node
};

struct Node {
  std::string id;
  std::string title;                // short French title (step list, summary)
  std::optional<Question> question; // absent for an automatic node; question->id == id
  std::vector<Rule> rules;
};

class ClassificationTree : public QuestionSource {
 public:
  // Parses and validates the tree. `file` names the file in messages. Fails with `invalid`,
  // naming file, element and problem, on: malformed JSON, unknown keys, missing version,
  // duplicate ids (nodes, choices, flags, outcomes, duties), missing texts, bad dates,
  // references to unknown nodes, choices, flags, outcomes or duties, rules jumping backwards,
  // conditions on answers of later nodes, and nodes no walk can reach.
  static Result<ClassificationTree> parse(std::string_view json_text, std::string_view file);
  // Reads and parses `path`; `unavailable` when it cannot be read.
  static Result<ClassificationTree> load(const std::filesystem::path& path);

  const std::string& version() const { return version_; }
  const std::string& title() const { return title_; }
  // What a page shows with the result: sources of the dates, not legal advice… (may be empty).
  const std::string& note() const { return note_; }
  const std::vector<Node>& nodes() const { return nodes_; }
  // Listed in the file from the most to the least restrictive (see principal_outcome).
  const std::vector<Flag>& flags() const { return flags_; }
  const std::vector<Outcome>& outcomes() const { return outcomes_; }
  const std::vector<Duty>& duties() const { return duties_; }
  // Duties that follow from no particular outcome (AI literacy, CRPA), in checklist order.
  const std::vector<std::string>& general_duties() const { return general_duties_; }

  // nullptr when unknown.
  const Node* find_node(std::string_view id) const;
  const Flag* find_flag(std::string_view id) const;
  const Outcome* find_outcome(std::string_view id) const;
  const Duty* find_duty(std::string_view id) const;
  const Question* find_question(std::string_view id) const override;

 private:
  friend class ClassificationTreeParser;
  std::string version_;
  std::string title_;
  std::string note_;
  std::vector<Node> nodes_;
  std::vector<Flag> flags_;
  std::vector<Outcome> outcomes_;
  std::vector<Duty> duties_;
  std::vector<std::string> general_duties_;
  std::map<std::string, std::size_t, std::less<>> node_index_;
};

// One line of the checklist. Pointers refer into the tree, which must outlive the result.
struct DutyItem {
  const Duty* duty = nullptr;
  // The later of the duty's date and its outcome's date: a deployer duty for an Annex I
  // system applies when Annex I systems become high-risk.
  std::string applies_from;
};

struct ReachedOutcome {
  const Outcome* outcome = nullptr;
  std::string reached_at;        // id of the node whose rule added it
  std::vector<DutyItem> duties;  // the outcome's duties whose condition holds
};

struct Classification {
  std::string version;                     // of the tree
  std::vector<std::string> path;           // nodes visited, in order (automatic ones included)
  std::string next_question;               // the first unanswered node on the path; empty when complete
  std::vector<ReachedOutcome> outcomes;    // in the order reached, each once
  std::vector<const Flag*> flags;          // in the order set, each once
  std::vector<DutyItem> general_duties;    // general duties whose condition holds
  std::vector<std::string> ignored_answers;// answered nodes off the path (their answers do not count)

  bool complete() const { return next_question.empty(); }
  bool reached(std::string_view outcome_id) const;
  bool has_flag(std::string_view flag_id) const;
  // The question nodes of the path, in order: what a page shows (and lets the user go back to).
  std::vector<std::string> questions_on_path(const ClassificationTree& tree) const;
};

// Walks the tree with `answers`. Answers with choices the question does not offer select
// nothing (check them first with the answer readers or classify_complete). Pure; about a
// microsecond per node.
Classification classify(const ClassificationTree& tree, const Answers& answers);

// The reached outcome listed first in the tree (the most restrictive), whose fiche_category is
// the fiche's AI Act category; nullptr when no outcome was reached yet.
const Outcome* principal_outcome(const ClassificationTree& tree, const Classification& result);

// classify() for the API: fails with `invalid`, one field error per question, when an answer
// does not fit its question or the walk stops at an unanswered question.
Result<Classification> classify_complete(const ClassificationTree& tree, const Answers& answers);

}  // namespace vigie::assessment
