#include "corpus_generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <random>

namespace vigie::bench {

namespace {

constexpr std::array kActions = {"Détection", "Prévision", "Analyse", "Optimisation", "Automatisation", "Classement",
                                 "Cartographie", "Suivi", "Tri", "Transcription", "Traduction", "Rédaction assistée"};
constexpr std::array kObjects = {"des dépôts sauvages", "des fuites d’eau", "des demandes d’urbanisme", "du courrier entrant",
                                 "des appels à l’accueil", "des tournées de collecte", "de la consommation énergétique",
                                 "des nids-de-poule", "de la fréquentation des bibliothèques", "des dossiers d’aide sociale",
                                 "des inondations", "du trafic routier", "des délibérations", "des arbres d’alignement",
                                 "des repas en restauration scolaire", "des candidatures", "des factures fournisseurs",
                                 "des signalements citoyens", "de la qualité de l’air", "des places de stationnement"};
constexpr std::array kMeans = {"par caméras", "par apprentissage automatique", "avec un agent conversationnel",
                               "par traitement du langage", "avec un grand modèle de langage", "par capteurs connectés",
                               "par imagerie aérienne", "par reconnaissance vocale", "par recherche opérationnelle",
                               "à partir des données ouvertes"};
constexpr std::array kSentences = {
    "Le service a constaté une hausse des demandes et cherché à mieux répartir la charge des agents.",
    "Les agents valident chaque proposition avant toute décision.",
    "Les données restent hébergées en France et sont supprimées au bout d’un an.",
    "Une expérimentation de six mois a précédé le déploiement sur tout le territoire.",
    "Les habitants sont informés par une mention sur le site de la collectivité.",
    "Le projet est mutualisé avec les communes voisines de l’intercommunalité.",
    "Les résultats sont suivis chaque trimestre par un comité associant les élus.",
    "Le modèle a été réentraîné après la détection de biais sur certains quartiers."};

template <typename T, std::size_t N>
const T& pick(const std::array<T, N>& values, std::mt19937_64& random) {
  return values[std::uniform_int_distribution<std::size_t>(0, N - 1)(random)];
}

std::vector<std::string> pick_codes(const domain::Taxonomy& taxonomy, std::size_t max_count, std::mt19937_64& random) {
  const auto& terms = taxonomy.terms();
  const std::size_t count = std::uniform_int_distribution<std::size_t>(1, max_count)(random);
  std::vector<std::string> codes;
  for (std::size_t i = 0; i < count * 3 && codes.size() < count; ++i) {
    const std::string& code = terms[std::uniform_int_distribution<std::size_t>(0, terms.size() - 1)(random)].code;
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
  }
  return codes;
}

}  // namespace

std::vector<domain::UseCase> generate_corpus(std::size_t count, const domain::Taxonomies& taxonomies,
                                             const std::vector<std::string>& owner_codes, std::uint64_t seed) {
  namespace tx = domain::taxonomy;
  std::mt19937_64 random(seed);
  std::vector<domain::UseCase> corpus;
  corpus.reserve(count);
  constexpr std::array kStatuses = {"idee", "experimentation", "production", "production", "arrete"};
  for (std::size_t i = 0; i < count; ++i) {
    domain::UseCase u;
    u.title = fmt::format("{} {} {}", pick(kActions, random), pick(kObjects, random), pick(kMeans, random));
    u.summary = fmt::format("{} {}", pick(kSentences, random), pick(kSentences, random));
    u.description = fmt::format("## Contexte\n\n{}\n\n## Fonctionnement\n\n{}\n\n- {}\n- {}", pick(kSentences, random),
                                pick(kSentences, random), pick(kSentences, random), pick(kSentences, random));
    u.owners = {owner_codes[std::uniform_int_distribution<std::size_t>(0, owner_codes.size() - 1)(random)]};
    u.domains = pick_codes(taxonomies.get(tx::kDomains), 2, random);
    u.purposes = pick_codes(taxonomies.get(tx::kPurposes), 2, random);
    u.techniques = pick_codes(taxonomies.get(tx::kTechniques), 2, random);
    u.target_users = pick_codes(taxonomies.get(tx::kTargetUsers), 2, random);
    u.status = pick(kStatuses, random);
    const int year = std::uniform_int_distribution<int>(2019, 2025)(random);
    const int month = std::uniform_int_distribution<int>(1, 12)(random);
    u.start_date = fmt::format("{}-{:02}", year, month);
    if (u.status == std::string("production") || u.status == std::string("arrete")) u.production_date = fmt::format("{}-{:02}", year + 1, month);
    if (u.status == std::string("arrete")) {
      u.end_date = fmt::format("{}-{:02}", year + 2, month);
      u.stop_reason = "Résultats insuffisants au regard du coût de maintenance.";
      u.lessons_learned = pick(kSentences, random);
    }
    u.provider = {"prestataire", "Prestataire fictif"};
    u.hosting = "cloud-souverain";
    u.data = {pick_codes(taxonomies.get(tx::kDataCategories), 2, random), "Données de la collectivité", false, false, "non-applicable"};
    u.cost.budget_band = "10k-50k";
    u.oversight = {"validation-humaine", pick(kSentences, random)};
    u.ai_act_category = "minimal";
    u.contact = {"Direction du numérique", "numerique@collectivite.example"};
    u.publication_state = domain::kPublished;
    u.demo = true;
    u.created_at = u.updated_at = fmt::format("2026-{:02}-{:02}T{:02}:00:00Z", 1 + i % 10, 1 + i % 28, i % 24);
    corpus.push_back(std::move(u));
  }
  return corpus;
}

}  // namespace vigie::bench
