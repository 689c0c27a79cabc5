#include "domain/taxonomy.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/file.h"
#include "core/csv.h"
#include "core/text.h"

namespace vigie::domain {

namespace {

bool is_valid_code(std::string_view code) {
  if (code.empty() || code.front() == '-' || code.back() == '-') return false;
  return std::all_of(code.begin(), code.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

const std::string kEmpty;

}  // namespace

const std::string& Term::column(const std::string& name) const {
  auto found = extra.find(name);
  return found == extra.end() ? kEmpty : found->second;
}

Taxonomy::Taxonomy(std::string name, std::vector<Term> terms) : name_(std::move(name)), terms_(std::move(terms)) {
  for (std::size_t i = 0; i < terms_.size(); ++i) index_.emplace(terms_[i].code, i);
}

Result<Taxonomy> Taxonomy::parse(std::string name, std::string_view csv_text, std::string_view file) {
  auto fail = [&](std::size_t line, const std::string& problem) {
    return Error::invalid(fmt::format("{}, ligne {} : {}", file, line, problem));
  };
  if (!text::is_valid_utf8(csv_text)) return fail(1, "le fichier n'est pas en UTF-8");
  auto parsed = csv::parse(csv_text);
  if (!parsed.ok()) return Error::invalid(fmt::format("{}, {}", file, parsed.error().message));
  const auto& records = *parsed;
  if (records.empty()) return fail(1, "fichier vide : une ligne d'en-tête « code,libelle » est attendue");
  std::vector<std::string> header;
  for (const auto& cell : records.front().cells) header.push_back(cell.value);
  const auto code_column = std::find(header.begin(), header.end(), "code");
  const auto label_column = std::find(header.begin(), header.end(), "libelle");
  if (code_column == header.end() || label_column == header.end()) {
    return fail(records.front().line, "l'en-tête doit contenir les colonnes « code » et « libelle »");
  }
  const auto code_index = static_cast<std::size_t>(code_column - header.begin());
  const auto label_index = static_cast<std::size_t>(label_column - header.begin());
  std::vector<Term> terms;
  std::map<std::string, std::size_t> seen;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& record = records[r];
    if (record.cells.size() != header.size()) {
      return fail(record.line, fmt::format("{} colonne{} au lieu de {}", record.cells.size(), record.cells.size() > 1 ? "s" : "", header.size()));
    }
    Term term;
    term.code = std::string(text::trim(record.cells[code_index].value));
    term.label = std::string(text::trim(record.cells[label_index].value));
    if (!is_valid_code(term.code)) {
      return fail(record.line, fmt::format("code « {} » invalide (lettres minuscules sans accent, chiffres et tirets)", term.code));
    }
    if (auto previous = seen.find(term.code); previous != seen.end()) {
      return fail(record.line, fmt::format("code « {} » en double (déjà ligne {})", term.code, previous->second));
    }
    if (term.label.empty()) return fail(record.line, fmt::format("libellé vide pour le code « {} »", term.code));
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (c != code_index && c != label_index) term.extra.emplace(header[c], record.cells[c].value);
    }
    seen.emplace(term.code, record.line);
    terms.push_back(std::move(term));
  }
  if (terms.empty()) return fail(records.front().line, "aucun code après l'en-tête");
  return Taxonomy(std::move(name), std::move(terms));
}

const Term* Taxonomy::find(std::string_view code) const {
  auto found = index_.find(code);
  return found == index_.end() ? nullptr : &terms_[found->second];
}

std::string Taxonomy::label(std::string_view code) const {
  const Term* term = find(code);
  return term ? term->label : std::string(code);
}

Result<Taxonomies> Taxonomies::load(const std::filesystem::path& directory) {
  std::error_code error;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.path().extension() == ".csv") files.push_back(entry.path());
  }
  if (error) return Error::unavailable(fmt::format("{} : dossier des taxonomies illisible ({})", directory.string(), error.message()));
  std::sort(files.begin(), files.end());
  std::vector<Taxonomy> taxonomies;
  for (const auto& file : files) {
    TRY_ASSIGN(const std::string content, read_file(file));
    TRY_ASSIGN(auto taxonomy, Taxonomy::parse(file.stem().string(), content, file.string()));
    taxonomies.push_back(std::move(taxonomy));
  }
  auto result = from(std::move(taxonomies));
  if (!result.ok()) return Error::invalid(fmt::format("{} : {}", directory.string(), result.error().message));
  return result;
}

Result<Taxonomies> Taxonomies::from(std::vector<Taxonomy> taxonomies) {
  Taxonomies result;
  for (auto& taxonomy : taxonomies) result.taxonomies_.emplace(taxonomy.name(), std::move(taxonomy));
  static constexpr std::array kRequired = {
      taxonomy::kDomains,       taxonomy::kPurposes,         taxonomy::kTechniques,        taxonomy::kTargetUsers,
      taxonomy::kStatuses,      taxonomy::kProviderTypes,    taxonomy::kHosting,           taxonomy::kDataCategories,
      taxonomy::kImpactAssessment, taxonomy::kBudgetBands,   taxonomy::kFunding,           taxonomy::kOversight,
      taxonomy::kAiActCategories, taxonomy::kJobFamilies,    taxonomy::kJobEffects,        taxonomy::kRelationTypes,
      taxonomy::kPublicationStates, taxonomy::kOrganisationKinds, taxonomy::kEpciCategories};
  for (const char* name : kRequired) {
    if (!result.taxonomies_.count(name)) return Error::invalid(fmt::format("taxonomie « {} » manquante ({}.csv)", name, name));
  }
  // Codes the program itself relies on.
  const std::array<std::pair<const char*, const char*>, 7> kRequiredCodes = {{
      {taxonomy::kPublicationStates, "brouillon"}, {taxonomy::kPublicationStates, "soumise"},
      {taxonomy::kPublicationStates, "publiee"},   {taxonomy::kPublicationStates, "archivee"},
      {taxonomy::kStatuses, "arrete"},             {taxonomy::kStatuses, "production"},
      {taxonomy::kAiActCategories, "inconnu"},
  }};
  for (const auto& [name, code] : kRequiredCodes) {
    if (!result.get(name).contains(code)) {
      return Error::invalid(fmt::format("{}.csv : le code « {} » est requis par le programme", name, code));
    }
  }
  for (const auto& term : result.get(taxonomy::kBudgetBands).terms()) {
    for (const char* column : {"minimum", "maximum"}) {
      const std::string& value = term.column(column);
      // At most 15 digits: amounts are compared as 64-bit integers.
      if (!value.empty() && (value.size() > 15 || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))) {
        return Error::invalid(fmt::format("tranches-budget.csv : « {} » de « {} » n'est pas un nombre entier d'euros", column, term.code));
      }
    }
  }
  return result;
}

const Taxonomy& Taxonomies::get(std::string_view name) const { return taxonomies_.find(name)->second; }

}  // namespace vigie::domain
