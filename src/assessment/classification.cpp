#include "assessment/classification.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "assessment/data_reader.h"
#include "core/file.h"

namespace vigie::assessment {

using detail::DataReader;
using detail::Need;
using detail::in_quotes;
using nlohmann::json;

namespace {

template <typename T>
const T* find_by_id(const std::vector<T>& items, std::string_view id) {
  for (const auto& item : items) {
    if (item.id == id) return &item;
  }
  return nullptr;
}

std::string node_where(std::string_view id) { return fmt::format("nœud {}", in_quotes(id)); }

}  // namespace

class ClassificationTreeParser {
 public:
  explicit ClassificationTreeParser(std::string_view file) : reader_(std::string(file)) {}

  Result<ClassificationTree> parse(std::string_view json_text) {
    const json document = reader_.parse(json_text);
    if (reader_.failed()) return reader_.error();
    if (!reader_.object(document, "", {"version", "titre", "note", "drapeaux", "resultats", "obligations", "obligationsGenerales", "noeuds"})) {
      return reader_.error();
    }
    tree_.version_ = reader_.text(document, "version", "", Need::required);
    tree_.title_ = reader_.text(document, "titre", "", Need::required);
    tree_.note_ = reader_.text(document, "note", "", Need::optional);
    read_flags(document);
    read_duties(document);
    read_outcomes(document);
    read_nodes(document);
    if (reader_.failed()) return reader_.error();
    check_references();
    if (reader_.failed()) return reader_.error();
    check_reachability();
    check_everything_used();
    if (reader_.failed()) return reader_.error();
    return std::move(tree_);
  }

 private:
  void read_flags(const json& document) {
    std::set<std::string, std::less<>> seen;
    for (const auto& item : reader_.array(document, "drapeaux", "", Need::required)) {
      const std::string where = fmt::format("drapeau {}", in_quotes(detail::member_text(item, "id")));
      if (!reader_.object(item, where, {"id", "libelle", "reference"})) return;
      Flag flag{reader_.id(item, "id", where), reader_.text(item, "libelle", where, Need::required),
                reader_.text(item, "reference", where, Need::optional)};
      if (!seen.insert(flag.id).second) reader_.fail(where, "identifiant en double");
      tree_.flags_.push_back(std::move(flag));
    }
  }

  void read_duties(const json& document) {
    std::set<std::string, std::less<>> seen;
    for (const auto& item : reader_.array(document, "obligations", "", Need::required)) {
      const std::string where = fmt::format("obligation {}", in_quotes(detail::member_text(item, "id")));
      if (!reader_.object(item, where, {"id", "libelle", "aide", "reference", "dateApplication", "si"})) return;
      Duty duty;
      duty.id = reader_.id(item, "id", where);
      duty.label = reader_.text(item, "libelle", where, Need::required);
      duty.help = reader_.text(item, "aide", where, Need::optional);
      duty.reference = reader_.text(item, "reference", where, Need::required);
      duty.applies_from = reader_.date(item, "dateApplication", where);
      duty.applies_when = reader_.condition(item, "si", where);
      if (!seen.insert(duty.id).second) reader_.fail(where, "identifiant en double");
      tree_.duties_.push_back(std::move(duty));
    }
    tree_.general_duties_ = reader_.ids(document, "obligationsGenerales", "obligationsGenerales");
  }

  void read_outcomes(const json& document) {
    std::set<std::string, std::less<>> seen;
    for (const auto& item : reader_.array(document, "resultats", "", Need::required)) {
      const std::string where = fmt::format("résultat {}", in_quotes(detail::member_text(item, "id")));
      if (!reader_.object(item, where, {"id", "code", "libelle", "description", "reference", "dateApplication", "categorieFiche", "obligations"})) return;
      Outcome outcome;
      outcome.id = reader_.id(item, "id", where);
      outcome.code = reader_.text(item, "code", where, Need::required);
      outcome.label = reader_.text(item, "libelle", where, Need::required);
      outcome.description = reader_.text(item, "description", where, Need::required);
      outcome.reference = reader_.text(item, "reference", where, Need::required);
      outcome.applies_from = reader_.date(item, "dateApplication", where);
      outcome.fiche_category = reader_.id(item, "categorieFiche", where);
      outcome.duties = reader_.ids(item, "obligations", where);
      if (!seen.insert(outcome.id).second) reader_.fail(where, "identifiant en double");
      tree_.outcomes_.push_back(std::move(outcome));
    }
  }

  void read_nodes(const json& document) {
    for (const auto& item : reader_.array(document, "noeuds", "", Need::required)) {
      const std::string where = node_where(detail::member_text(item, "id"));
      if (!reader_.object(item, where, {"id", "titre", "question", "aide", "exemples", "type", "choix", "regles"})) return;
      Node node;
      node.id = reader_.id(item, "id", where);
      node.title = reader_.text(item, "titre", where, Need::required);
      if (detail::member_text(item, "type") == "automatique") {
        for (const char* key : {"question", "aide", "exemples", "choix"}) {
          if (item.contains(key)) reader_.fail(where, fmt::format("un nœud automatique n'a pas de clé {}", in_quotes(key)));
        }
      } else {
        node.question = reader_.question(item, node.id, where, detail::Weights::forbidden);
      }
      std::size_t number = 0;
      for (const auto& rule_item : reader_.array(item, "regles", where, Need::optional)) {
        const std::string rule_where = fmt::format("{}, règle {}", where, ++number);
        if (!reader_.object(rule_item, rule_where, {"si", "drapeaux", "resultats", "suite"})) return;
        Rule rule;
        rule.condition = reader_.condition(rule_item, "si", rule_where);
        rule.flags = reader_.ids(rule_item, "drapeaux", rule_where);
        rule.outcomes = reader_.ids(rule_item, "resultats", rule_where);
        rule.next = reader_.text(rule_item, "suite", rule_where, Need::optional);
        node.rules.push_back(std::move(rule));
      }
      if (!node.question && node.rules.empty()) reader_.fail(where, "un nœud automatique doit avoir au moins une règle");
      if (node.id == kEndOfTree) reader_.fail(where, fmt::format("{} est réservé à la fin du parcours", in_quotes(kEndOfTree)));
      if (!tree_.node_index_.emplace(node.id, tree_.nodes_.size()).second) reader_.fail(where, "identifiant en double");
      tree_.nodes_.push_back(std::move(node));
    }
  }

  // `position`: index of the node whose rules hold the condition, or nodes.size() for duties
  // (evaluated after the walk, so any node's answer may be used).
  void check_condition(const Condition& condition, std::size_t position, const std::string& where) {
    detail::for_each_leaf(condition, [&](const Condition& leaf) {
      switch (leaf.kind) {
        case Condition::Kind::answer_among: {
          const auto found = tree_.node_index_.find(leaf.subject);
          if (found == tree_.node_index_.end() || !tree_.nodes_[found->second].question) {
            reader_.fail(where, fmt::format("la condition porte sur la réponse au nœud {}, qui n'existe pas ou ne pose pas de question", in_quotes(leaf.subject)));
            return;
          }
          if (found->second > position) {
            reader_.fail(where, fmt::format("la condition porte sur la réponse au nœud {}, qui vient après", in_quotes(leaf.subject)));
            return;
          }
          const Question& question = *tree_.nodes_[found->second].question;
          for (const auto& value : leaf.values) {
            if (!question.find_choice(value)) {
              reader_.fail(where, fmt::format("la condition cite le choix {}, que le nœud {} ne propose pas", in_quotes(value), in_quotes(leaf.subject)));
            }
          }
          return;
        }
        case Condition::Kind::flag:
          if (!tree_.find_flag(leaf.subject)) reader_.fail(where, fmt::format("drapeau {} inconnu (voir « drapeaux »)", in_quotes(leaf.subject)));
          return;
        case Condition::Kind::outcome:
          if (!tree_.find_outcome(leaf.subject)) reader_.fail(where, fmt::format("résultat {} inconnu (voir « resultats »)", in_quotes(leaf.subject)));
          return;
        default:
          return;
      }
    });
  }

  void check_flags(const std::vector<std::string>& flags, const std::string& where) {
    for (const auto& flag : flags) {
      if (!tree_.find_flag(flag)) reader_.fail(where, fmt::format("drapeau {} inconnu (voir « drapeaux »)", in_quotes(flag)));
      set_flags_.insert(flag);
    }
  }

  void check_references() {
    for (const auto& outcome : tree_.outcomes_) {
      for (const auto& duty : outcome.duties) {
        if (!tree_.find_duty(duty)) reader_.fail(fmt::format("résultat {}", in_quotes(outcome.id)), fmt::format("obligation {} inconnue", in_quotes(duty)));
        used_duties_.insert(duty);
      }
    }
    for (const auto& duty : tree_.general_duties_) {
      if (!tree_.find_duty(duty)) reader_.fail("obligationsGenerales", fmt::format("obligation {} inconnue", in_quotes(duty)));
      used_duties_.insert(duty);
    }
    for (const auto& duty : tree_.duties_) check_condition(duty.applies_when, tree_.nodes_.size(), fmt::format("obligation {}", in_quotes(duty.id)));
    for (std::size_t n = 0; n < tree_.nodes_.size(); ++n) {
      const Node& node = tree_.nodes_[n];
      if (node.question) {
        for (const auto& choice : node.question->choices) check_flags(choice.flags, fmt::format("{}, choix {}", node_where(node.id), in_quotes(choice.id)));
      }
      for (std::size_t r = 0; r < node.rules.size(); ++r) {
        const Rule& rule = node.rules[r];
        const std::string where = fmt::format("{}, règle {}", node_where(node.id), r + 1);
        check_condition(rule.condition, n, where);
        check_flags(rule.flags, where);
        for (const auto& outcome : rule.outcomes) {
          if (!tree_.find_outcome(outcome)) reader_.fail(where, fmt::format("résultat {} inconnu (voir « resultats »)", in_quotes(outcome)));
          reached_outcomes_.insert(outcome);
        }
        if (rule.next.empty() || rule.next == kEndOfTree) continue;
        const auto target = tree_.node_index_.find(rule.next);
        if (target == tree_.node_index_.end()) {
          reader_.fail(where, fmt::format("renvoie vers le nœud {}, qui n'existe pas", in_quotes(rule.next)));
        } else if (target->second <= n) {
          reader_.fail(where, fmt::format("renvoie vers le nœud {}, qui ne vient pas après (les règles ne vont qu'en avant)", in_quotes(rule.next)));
        }
      }
    }
  }

  void check_reachability() {
    const std::size_t count = tree_.nodes_.size();
    std::vector<bool> reachable(count, false);
    if (count > 0) reachable[0] = true;
    // Rules only jump forward, so one pass in order sees every predecessor first.
    for (std::size_t n = 0; n < count; ++n) {
      if (!reachable[n]) continue;
      const Node& node = tree_.nodes_[n];
      bool always_routed = false;
      for (const auto& rule : node.rules) {
        if (rule.next.empty()) {
          if (n + 1 < count) reachable[n + 1] = true;
        } else if (rule.next != kEndOfTree) {
          reachable[tree_.node_index_.at(rule.next)] = true;
        }
        if (rule.condition.kind == Condition::Kind::always) {
          always_routed = true;
          break;  // later rules can never match
        }
      }
      if (!always_routed && n + 1 < count) reachable[n + 1] = true;
    }
    for (std::size_t n = 0; n < count; ++n) {
      if (!reachable[n]) reader_.fail(node_where(tree_.nodes_[n].id), "nœud inaccessible : aucun parcours n'y mène");
    }
  }

  void check_everything_used() {
    for (const auto& flag : tree_.flags_) {
      if (!set_flags_.count(flag.id)) reader_.fail(fmt::format("drapeau {}", in_quotes(flag.id)), "aucun choix ni aucune règle ne le pose");
    }
    for (const auto& outcome : tree_.outcomes_) {
      if (!reached_outcomes_.count(outcome.id)) reader_.fail(fmt::format("résultat {}", in_quotes(outcome.id)), "aucune règle n'y mène");
    }
    for (const auto& duty : tree_.duties_) {
      if (!used_duties_.count(duty.id)) reader_.fail(fmt::format("obligation {}", in_quotes(duty.id)), "citée par aucun résultat ni dans « obligationsGenerales »");
    }
  }

  DataReader reader_;
  ClassificationTree tree_;
  std::set<std::string, std::less<>> set_flags_;
  std::set<std::string, std::less<>> reached_outcomes_;
  std::set<std::string, std::less<>> used_duties_;
};

Result<ClassificationTree> ClassificationTree::parse(std::string_view json_text, std::string_view file) {
  // The reader checks every type before reading a value; this only guards against a check
  // forgotten there (nlohmann reports type errors by exception).
  try {
    return ClassificationTreeParser(file).parse(json_text);
  } catch (const nlohmann::json::exception& error) {
    return Error::invalid(fmt::format("{} : contenu inattendu ({})", file, error.what()));
  }
}

Result<ClassificationTree> ClassificationTree::load(const std::filesystem::path& path) {
  TRY_ASSIGN(const std::string content, read_file(path));
  return parse(content, path.string());
}

const Node* ClassificationTree::find_node(std::string_view id) const {
  const auto found = node_index_.find(id);
  return found == node_index_.end() ? nullptr : &nodes_[found->second];
}
const Flag* ClassificationTree::find_flag(std::string_view id) const { return find_by_id(flags_, id); }
const Outcome* ClassificationTree::find_outcome(std::string_view id) const { return find_by_id(outcomes_, id); }
const Duty* ClassificationTree::find_duty(std::string_view id) const { return find_by_id(duties_, id); }
const Question* ClassificationTree::find_question(std::string_view id) const {
  const Node* node = find_node(id);
  return node && node->question ? &*node->question : nullptr;
}

bool Classification::reached(std::string_view outcome_id) const {
  return std::any_of(outcomes.begin(), outcomes.end(), [&](const ReachedOutcome& item) { return item.outcome->id == outcome_id; });
}

bool Classification::has_flag(std::string_view flag_id) const {
  return std::any_of(flags.begin(), flags.end(), [&](const Flag* flag) { return flag->id == flag_id; });
}

std::vector<std::string> Classification::questions_on_path(const ClassificationTree& tree) const {
  std::vector<std::string> questions;
  for (const auto& id : path) {
    if (tree.find_question(id)) questions.push_back(id);
  }
  return questions;
}

Classification classify(const ClassificationTree& tree, const Answers& answers) {
  Classification result;
  result.version = tree.version();
  Answers effective;  // answers of the nodes on the path only
  IdSet flags;
  IdSet outcomes;
  const Facts facts{&effective, &flags, &outcomes};
  auto set_flag = [&](const std::string& id) {
    if (flags.insert(id).second) result.flags.push_back(tree.find_flag(id));
  };
  const auto& nodes = tree.nodes();
  std::size_t position = 0;
  while (position < nodes.size()) {
    const Node& node = nodes[position];
    result.path.push_back(node.id);
    if (node.question) {
      const auto answer = answers.find(node.id);
      if (answer == answers.end() || answer->second.empty()) {
        result.next_question = node.id;
        break;
      }
      const auto& selected = effective.emplace(node.id, answer->second).first->second;
      for (const auto& choice_id : selected) {
        if (const Choice* choice = node.question->find_choice(choice_id)) {
          for (const auto& flag : choice->flags) set_flag(flag);
        }
      }
    }
    std::size_t next = position + 1;
    for (const auto& rule : node.rules) {
      if (!holds(rule.condition, facts)) continue;
      for (const auto& flag : rule.flags) set_flag(flag);
      for (const auto& id : rule.outcomes) {
        if (outcomes.insert(id).second) result.outcomes.push_back({tree.find_outcome(id), node.id, {}});
      }
      if (rule.next == kEndOfTree) {
        next = nodes.size();
      } else if (!rule.next.empty()) {
        next = static_cast<std::size_t>(tree.find_node(rule.next) - nodes.data());
      }
      break;
    }
    position = next;
  }
  for (auto& reached : result.outcomes) {
    for (const auto& id : reached.outcome->duties) {
      const Duty* duty = tree.find_duty(id);
      if (holds(duty->applies_when, facts)) reached.duties.push_back({duty, std::max(duty->applies_from, reached.outcome->applies_from)});
    }
  }
  for (const auto& id : tree.general_duties()) {
    const Duty* duty = tree.find_duty(id);
    if (holds(duty->applies_when, facts)) result.general_duties.push_back({duty, duty->applies_from});
  }
  for (const auto& [id, selected] : answers) {
    if (!effective.count(id)) result.ignored_answers.push_back(id);
  }
  return result;
}

const Outcome* principal_outcome(const ClassificationTree& tree, const Classification& result) {
  for (const auto& outcome : tree.outcomes()) {
    if (result.reached(outcome.id)) return &outcome;
  }
  return nullptr;
}

Result<Classification> classify_complete(const ClassificationTree& tree, const Answers& answers) {
  std::vector<FieldError> errors;
  for (const auto& [id, selected] : answers) {
    const Question* question = tree.find_question(id);
    if (!question) {
      errors.push_back({id, "question inconnue"});
    } else if (std::string problem = check_answer(*question, selected); !problem.empty()) {
      errors.push_back({id, std::move(problem)});
    }
  }
  if (!errors.empty()) return Error::invalid("Certaines réponses ne correspondent pas au questionnaire.", std::move(errors));
  Classification result = classify(tree, answers);
  if (!result.complete()) {
    return Error::invalid("Le questionnaire n'est pas terminé.",
                          {{result.next_question, fmt::format("réponse obligatoire : « {} »", tree.find_question(result.next_question)->label)}});
  }
  return result;
}

}  // namespace vigie::assessment
