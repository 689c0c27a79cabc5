// The fiche: one use of AI by one or several authorities. "Fiche" in the French interface and
// API, UseCase in code. Every field of the public data model exists from the start, so later
// modules fill fields instead of migrating.
//
// Codes (domains, techniques, statuses…) are taxonomy codes from data/taxonomies/*.csv; the
// domain validates them against the loaded Taxonomies (use_case_validation.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigie::domain {

using UseCaseId = std::int64_t;

struct Provider {
  std::string type;  // fournisseurs.csv
  std::string name;  // vendor or community name; empty for in-house
  bool operator==(const Provider&) const = default;
};

struct DataUse {
  std::vector<std::string> categories;  // categories-donnees.csv
  std::string sources;                  // free text: where the data comes from
  std::optional<bool> personal_data;
  std::optional<bool> sensitive_data;   // art. 9 GDPR categories
  std::string impact_assessment;        // aipd.csv (DPIA)
  bool operator==(const DataUse&) const = default;
};

struct Cost {
  std::string budget_band;                 // tranches-budget.csv
  std::optional<std::int64_t> amount_eur;  // whole euros, when the authority publishes it
  std::vector<std::string> funding;        // financements.csv
  bool operator==(const Cost&) const = default;
};

struct HumanOversight {
  std::string level;        // controles-humains.csv
  std::string description;  // how agents keep control
  bool operator==(const HumanOversight&) const = default;
};

struct Indicator {
  std::string label;
  std::string value;
  bool operator==(const Indicator&) const = default;
};

struct Results {
  std::vector<Indicator> indicators;
  std::string evaluation_summary;
  std::string evaluation_url;
  bool operator==(const Results&) const = default;
};

struct JobImpact {
  std::string family;                // familles-metiers.csv
  std::vector<std::string> effects;  // effets-metiers.csv
  std::string description;
  bool operator==(const JobImpact&) const = default;
};

struct Relation {
  std::string type;  // relations.csv
  UseCaseId target = 0;
  bool operator==(const Relation&) const = default;
};

struct Link {
  std::string title;
  std::string url;
  bool operator==(const Link&) const = default;
};

struct Contact {
  std::string role;   // a function, never a person's name
  std::string email;
  bool operator==(const Contact&) const = default;
};

// The latest result of a toolkit assessment attached to the fiche (src/assessment/): written
// by the store when an assessment is attached or saved again, read-only for API clients. One
// per tool. The results are computed from the answers with the questionnaire version shown.
struct AssessmentSummary {
  std::string tool;                   // "classification-ai-act", "evaluation-impact", "analyse-droits-fondamentaux"
  std::int64_t version = 0;           // the assessment's version summarised (versions are never overwritten)
  std::string questionnaire_version;  // version of the data file that computed the results
  std::string assessed_at;            // RFC 3339 UTC, when that version was saved
  std::vector<std::string> outcomes;  // classification: outcome codes, in the questionnaire's order
  std::string level;                  // impact assessment: "I" to "IV"; empty for the other tools
  bool published = false;             // the authority publishes its answers with the fiche
  std::string answers_json;           // the answers (a JSON object) when published, else empty
  bool operator==(const AssessmentSummary&) const = default;
};

// Publication states (etats-publication.csv).
inline constexpr const char* kDraft = "brouillon";
inline constexpr const char* kSubmitted = "soumise";
inline constexpr const char* kPublished = "publiee";
inline constexpr const char* kArchived = "archivee";
// Project status that requires a reason (statuts.csv).
inline constexpr const char* kStopped = "arrete";

struct UseCase {
  UseCaseId id = 0;  // 0 until stored
  std::string title;
  std::string summary;      // at most kSummaryMaxLength characters
  std::string description;  // Markdown, rendered without raw HTML
  std::vector<std::string> owners;    // organisation codes (SIREN, see organisation.h)
  std::vector<std::string> partners;  // free text
  std::vector<std::string> domains;
  std::vector<std::string> purposes;
  std::vector<std::string> techniques;
  std::vector<std::string> target_users;
  std::string status;
  std::string stop_reason;
  std::string start_date;       // ISO 8601 dates "YYYY-MM-DD" or "YYYY-MM"; empty if unknown
  std::string production_date;
  std::string end_date;
  Provider provider;
  std::string licence;
  std::string source_code_url;
  std::string hosting;
  DataUse data;
  Cost cost;
  HumanOversight oversight;
  std::string risks;  // risks identified and safeguards
  Results results;
  std::string lessons_learned;
  std::string ai_act_category;
  std::vector<JobImpact> jobs;
  std::string training;  // training provided to agents
  std::vector<Relation> relations;
  std::vector<Link> links;
  Contact contact;
  std::vector<AssessmentSummary> assessments;  // read-only: see AssessmentSummary
  std::string publication_state = kDraft;
  std::string created_at;  // RFC 3339 UTC, set by the store
  std::string updated_at;
  std::int64_t revision = 0;  // 1 after creation, +1 per change
  bool demo = false;

  bool operator==(const UseCase&) const = default;
};

inline constexpr std::size_t kSummaryMaxLength = 400;
inline constexpr std::size_t kTitleMaxLength = 200;
inline constexpr std::size_t kDescriptionMaxLength = 100'000;
inline constexpr std::size_t kTextMaxLength = 20'000;

}  // namespace vigie::domain
