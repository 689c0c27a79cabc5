#include "corpus_generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
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

std::vector<std::string> generate_queries(std::size_t count, std::uint64_t seed) {
  // Words people leave out of a search box.
  constexpr std::array kSmallWords = {"des", "du", "de", "la", "le", "les", "à", "par", "avec", "un", "une", "en",
                                      "aux", "au", "et", "sur", "tout", "toute", "chaque", "sont", "est", "a", "été",
                                      "après", "avant", "certains", "certaines", "bout", "an", "six", "mois", "mieux"};
  auto content_words = [&](const std::string& text) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < text.size()) {
      const std::size_t end = std::min(text.find(' ', i), text.size());
      std::string word = text.substr(i, end - i);
      i = end + 1;
      while (!word.empty() && (word.back() == '.' || word.back() == ',')) word.pop_back();
      // Agents type the ASCII apostrophe.
      std::string lower;
      for (std::size_t at = 0; at < word.size();) {
        if (word.compare(at, 3, "’") == 0) {
          lower.push_back('\'');
          at += 3;
        } else {
          lower.push_back(word[at++]);
        }
      }
      if (!lower.empty() && static_cast<unsigned char>(lower[0]) < 0x80) lower[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(lower[0])));
      if (lower.empty() || std::find(kSmallWords.begin(), kSmallWords.end(), lower) != kSmallWords.end()) continue;
      words.push_back(lower);
    }
    return words;
  };
  std::mt19937_64 random(seed);
  std::vector<std::string> queries;
  queries.reserve(count);
  while (queries.size() < count) {
    std::string source;
    if (std::uniform_int_distribution<int>(0, 3)(random) == 0) {
      source = pick(kSentences, random);
    } else {
      source = fmt::format("{} {} {}", pick(kActions, random), pick(kObjects, random), pick(kMeans, random));
    }
    const auto words = content_words(source);
    if (words.empty()) continue;
    const std::size_t wanted = std::min(words.size(), std::uniform_int_distribution<std::size_t>(1, 3)(random));
    // `wanted` words of the source, kept in their order.
    std::vector<std::size_t> positions(words.size());
    for (std::size_t p = 0; p < positions.size(); ++p) positions[p] = p;
    std::shuffle(positions.begin(), positions.end(), random);
    positions.resize(wanted);
    std::sort(positions.begin(), positions.end());
    std::string query;
    for (const auto p : positions) {
      if (!query.empty()) query += ' ';
      query += words[p];
    }
    queries.push_back(std::move(query));
  }
  return queries;
}

}  // namespace vigie::bench
