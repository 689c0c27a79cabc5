// Fundamental-rights impact assessment (FRIA, art. 27 of Regulation (EU) 2024/1689): the
// template of its six elements (a)–(f), read from
// data/assessment/analyse-impact-droits-fondamentaux.json, each a guided form section whose
// fields may be pre-filled from the fiche.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/taxonomy.h"
#include "domain/use_case.h"

namespace vigie::assessment {

enum class FriaFieldKind { short_text, long_text, date };

struct FriaField {
  std::string id;  // unique in the template; the key of its value
  std::string label;
  std::string help;
  FriaFieldKind kind = FriaFieldKind::long_text;
  bool required = false;
  // Path of the fiche's public JSON field that pre-fills it ("controleHumain.description",
  // "publics"); empty when none. Checked at load against the fiche's JSON form.
  std::string prefill_from;
  // Taxonomy whose labels replace the codes of `prefill_from` ("publics"); may be empty.
  std::string taxonomy;
};

struct FriaSection {
  std::string id;
  std::string letter;     // "a" … "f", the point of art. 27(1)
  std::string title;
  std::string reference;  // "Règlement (UE) 2024/1689, article 27, paragraphe 1, point a)"
  std::string help;
  std::vector<FriaField> fields;
};

class FriaTemplate {
 public:
  // Fails with `invalid` naming file, element and problem on: malformed JSON, unknown keys,
  // missing version, not exactly the six elements (a)–(f) in order, duplicate ids, unknown
  // field types, pre-fill paths that are not fields of a fiche.
  static Result<FriaTemplate> parse(std::string_view json_text, std::string_view file);
  static Result<FriaTemplate> load(const std::filesystem::path& path);

  const std::string& version() const { return version_; }
  const std::string& title() const { return title_; }
  const std::string& introduction() const { return introduction_; }
  const std::vector<FriaSection>& sections() const { return sections_; }
  const FriaField* find_field(std::string_view id) const;

 private:
  friend class FriaTemplateParser;
  std::string version_;
  std::string title_;
  std::string introduction_;
  std::vector<FriaSection> sections_;
};

// Field id -> text, for the fields the fiche already answers (codes become taxonomy labels,
// lists are joined with ", ", yes/no become « Oui » / « Non »). Fields the fiche leaves empty
// are absent.
std::map<std::string, std::string> prefill(const FriaTemplate& fria, const domain::UseCase& use_case, const domain::Taxonomies& taxonomies);

// The problems of a filled-in assessment, one per field (French): unknown field, required field
// empty, text too long, date not AAAA-MM-JJ.
std::vector<FieldError> check_fria(const FriaTemplate& fria, const std::map<std::string, std::string>& values);

}  // namespace vigie::assessment
