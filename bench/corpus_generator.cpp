#include "corpus_generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <random>
#include <set>
#include <string_view>

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

namespace {

// Words people leave out of a search box.
constexpr std::array kSmallWords = {"des", "du", "de", "la", "le", "les", "à", "par", "avec", "un", "une", "en",
                                    "aux", "au", "et", "sur", "tout", "toute", "chaque", "sont", "est", "a", "été",
                                    "après", "avant", "certains", "certaines", "bout", "an", "six", "mois", "mieux"};

// The words of `text` a person would type: lower-case initial, ASCII apostrophe, no small words.
std::vector<std::string> content_words(const std::string& text) {
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
}

}  // namespace

std::vector<std::string> generate_queries(std::size_t count, std::uint64_t seed) {
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

namespace {

// Words of local government found in no synthetic fiche (nor in the demonstration library):
// the relaxed search leaves them out.
constexpr std::array kAbsentWords = {"patinoire", "passeport", "moustiques", "frelons", "pigeons", "ascenseurs", "skatepark",
                                     "camping", "funérailles", "trottinettes", "tondeuses", "fourrière", "covoiturage", "chômage",
                                     "impôts", "musée", "canicule", "barrage", "séisme", "cantonniers", "bibliobus", "vestiaires",
                                     "toboggan", "sangliers", "halloween", "recensement", "columbarium", "chorale", "kermesse",
                                     "pétanque", "rugby", "football", "ralentisseurs", "autoroute", "taxis", "ambulances",
                                     "gendarmerie"};
// Words held by a few fiches of the demonstration library only.
constexpr std::array kRareWords = {"piscine", "élagage", "déneigement", "lampadaires", "vélos", "tramway", "handicap",
                                   "amendes", "sécheresse", "verglas", "théâtre", "gymnase", "vaccination", "cimetière",
                                   "crèche", "brocante", "paroisse", "tennis", "randonnée", "pompiers"};
constexpr std::array kQuestionOpenings = {"comment une commune peut", "comment une petite mairie peut-elle",
                                          "est-ce qu'une collectivité peut", "quelle ville a déjà essayé de",
                                          "existe-t-il un outil pour", "je cherche comment", "qui a réussi à",
                                          "une intercommunalité peut-elle", "quels départements arrivent à",
                                          "est-il possible de"};
constexpr std::array kQuestionVerbs = {"détecter", "prévoir", "réduire", "mieux gérer", "suivre", "repérer", "anticiper",
                                       "compter", "classer", "traduire", "automatiser", "cartographier", "trier"};
// How a question brings in a place or a subject found in few fiches or none.
constexpr std::array kOddPhrases = {"pendant la canicule", "près de la piscine", "au camping municipal", "au musée",
                                    "avec les pompiers", "pour le recensement", "contre les moustiques", "contre les frelons",
                                    "à la patinoire", "pour les passeports", "avec les taxis", "autour du stade",
                                    "au cimetière", "pendant la brocante", "après le séisme", "pour les trottinettes",
                                    "à la fourrière", "pour le covoiturage", "avec la gendarmerie", "au gymnase",
                                    "pendant les vacances de la Toussaint", "quand il y a du verglas", "pour le déneigement",
                                    "près de l'autoroute", "avec les cantonniers", "pour la kermesse de l'école"};
// Corpus subjects in everyday words, and everyday means.
constexpr std::array kEverydaySubjects = {
    "les poubelles qui débordent", "l'eau qui fuit sous la rue", "les trous dans la chaussée", "les bouchons le matin",
    "la cantine qui jette trop", "les livres qu'on emprunte", "les tas d'ordures dans les bois", "l'air pollué",
    "les places libres pour se garer", "les lettres reçues par la mairie", "les factures à payer", "les arbres de la rue",
    "les gens qui appellent la mairie", "trier les mails", "remplir les dossiers", "choisir les candidats",
    "éteindre la lumière des bâtiments", "chauffage des écoles", "tournée des camions poubelle", "écrire les comptes rendus du conseil",
    "transformer la voix en texte", "les rues inondées après l'orage", "les voitures garées n'importe où",
    "les plaintes des habitants", "les repas gaspillés à l'école", "le monde à la médiathèque", "les ordures jetées dans la nature",
    "les demandes de permis de construire", "les dossiers d'aide aux familles", "les papiers qui s'entassent à l'accueil"};
// The same kind of subjects for a question after one of kQuestionVerbs.
constexpr std::array kQuestionSubjects = {
    "les poubelles qui débordent", "l'eau qui fuit sous la rue", "les trous dans la chaussée", "les bouchons le matin",
    "le gaspillage à la cantine", "les livres qu'on emprunte", "les ordures dans les bois", "la pollution de l'air",
    "les places libres pour se garer", "les lettres reçues par la mairie", "les factures des fournisseurs",
    "les arbres malades", "les appels des habitants", "les mails des habitants", "les candidatures",
    "la consommation des bâtiments", "les comptes rendus du conseil", "les rues inondées après l'orage",
    "les voitures garées n'importe où", "les plaintes des habitants", "le monde à la médiathèque",
    "les demandes de permis de construire", "les dossiers d'aide aux familles"};
constexpr std::array kEverydayMeans = {"avec une caméra", "avec un robot qui répond", "grâce à des photos prises d'avion",
                                       "avec un logiciel qui apprend tout seul", "avec des capteurs", "avec un truc qui écrit tout seul",
                                       "en parlant au téléphone", "avec les données publiques", "sans rien installer",
                                       "dans un petit village", "pour pas cher", "comme à Lyon"};

// `word` misspelt the way people do (a letter left out or doubled, two letters swapped, a
// phonetic spelling); only ASCII letters are touched, so that UTF-8 stays valid.
std::string misspell(const std::string& word, std::mt19937_64& random) {
  constexpr std::array<std::pair<const char*, const char*>, 8> kPhonetic = {
      {{"tion", "sion"}, {"ph", "f"}, {"qu", "k"}, {"eau", "o"}, {"ll", "l"}, {"ss", "s"}, {"mm", "m"}, {"nn", "n"}}};
  std::vector<std::size_t> letters;  // inner ASCII letters
  for (std::size_t i = 1; i + 1 < word.size(); ++i) {
    if (std::isalpha(static_cast<unsigned char>(word[i])) != 0) letters.push_back(i);
  }
  if (letters.empty()) return word;
  std::string out = word;
  const std::size_t at = letters[std::uniform_int_distribution<std::size_t>(0, letters.size() - 1)(random)];
  switch (std::uniform_int_distribution<int>(0, 3)(random)) {
    case 0: out.erase(at, 1); break;
    case 1: out.insert(at, 1, out[at]); break;
    case 2:
      if (at + 1 < out.size() && std::isalpha(static_cast<unsigned char>(out[at + 1])) != 0 && out[at] != out[at + 1]) {
        std::swap(out[at], out[at + 1]);
      } else {
        out.erase(at, 1);
      }
      break;
    default: {
      bool replaced = false;
      for (const auto& [from, to] : kPhonetic) {
        const auto found = out.find(from);
        if (found != std::string::npos) {
          out.replace(found, std::string_view(from).size(), to);
          replaced = true;
          break;
        }
      }
      if (!replaced) out.erase(at, 1);
    }
  }
  return out;
}

std::string ascii_apostrophes(const std::string& text) {
  std::string out;
  for (std::size_t at = 0; at < text.size();) {
    if (text.compare(at, 3, "’") == 0) {
      out.push_back('\'');
      at += 3;
    } else {
      out.push_back(text[at++]);
    }
  }
  return out;
}

std::size_t ascii_letters(const std::string& word) {
  return static_cast<std::size_t>(std::count_if(word.begin(), word.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }));
}

}  // namespace

std::vector<std::string> generate_relaxed_queries(std::size_t count, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  auto title_words = [&] {
    return content_words(fmt::format("{} {} {}", pick(kActions, random), pick(kObjects, random), pick(kMeans, random)));
  };
  // `wanted` words of `words`, kept in their order.
  auto some = [&](const std::vector<std::string>& words, std::size_t wanted) {
    std::vector<std::size_t> positions(words.size());
    for (std::size_t p = 0; p < positions.size(); ++p) positions[p] = p;
    std::shuffle(positions.begin(), positions.end(), random);
    positions.resize(std::min(wanted, words.size()));
    std::sort(positions.begin(), positions.end());
    std::vector<std::string> out;
    for (const auto p : positions) out.push_back(words[p]);
    return out;
  };
  auto joined = [](const std::vector<std::string>& words) {
    std::string out;
    for (const auto& word : words) out += (out.empty() ? "" : " ") + word;
    return out;
  };
  auto odd_word = [&] {
    return std::string(std::uniform_int_distribution<int>(0, 2)(random) == 0 ? pick(kRareWords, random) : pick(kAbsentWords, random));
  };
  std::vector<std::string> queries;
  std::set<std::string> seen;
  queries.reserve(count);
  for (std::size_t attempt = 0; queries.size() < count && attempt < count * 20; ++attempt) {
    std::string query;
    switch (queries.size() % 4) {
      case 0: {  // words of the corpus with a word found in no fiche (or in very few)
        auto words = some(title_words(), std::uniform_int_distribution<std::size_t>(1, 2)(random));
        const std::size_t extra = std::uniform_int_distribution<std::size_t>(1, 2)(random);
        for (std::size_t e = 0; e < extra; ++e) {
          if (std::uniform_int_distribution<int>(0, 1)(random) == 0) {
            words.insert(words.begin(), odd_word());
          } else {
            words.push_back(odd_word());
          }
        }
        query = joined(words);
        break;
      }
      case 1: {  // words of the corpus, one or two of them misspelt
        const auto source = std::uniform_int_distribution<int>(0, 3)(random) == 0 ? content_words(pick(kSentences, random)) : title_words();
        auto words = some(source, std::uniform_int_distribution<std::size_t>(1, 3)(random));
        std::vector<std::size_t> long_words;
        for (std::size_t w = 0; w < words.size(); ++w) {
          if (ascii_letters(words[w]) >= 5 && words[w].find('\'') == std::string::npos) long_words.push_back(w);
        }
        if (long_words.empty()) continue;
        std::shuffle(long_words.begin(), long_words.end(), random);
        const std::size_t misspelt = std::min<std::size_t>(long_words.size(), std::uniform_int_distribution<std::size_t>(1, 2)(random));
        for (std::size_t m = 0; m < misspelt; ++m) words[long_words[m]] = misspell(words[long_words[m]], random);
        query = joined(words);
        break;
      }
      case 2: {  // a long question: an everyday verb, a subject of the corpus, and a place or subject found in few fiches or none
        const std::string object = std::uniform_int_distribution<int>(0, 1)(random) == 0 ? std::string(pick(kObjects, random))
                                                                                        : std::string(pick(kQuestionSubjects, random));
        query = fmt::format("{} {} {} {}", pick(kQuestionOpenings, random), pick(kQuestionVerbs, random), object, pick(kOddPhrases, random));
        query = ascii_apostrophes(query);  // agents type the ASCII apostrophe
        if (std::uniform_int_distribution<int>(0, 1)(random) == 0) query += " ?";
        break;
      }
      default: {  // a paraphrase in everyday words
        query = pick(kEverydaySubjects, random);
        if (std::uniform_int_distribution<int>(0, 2)(random) != 0) query += std::string(" ") + pick(kEverydayMeans, random);
        break;
      }
    }
    if (!query.empty() && seen.insert(query).second) queries.push_back(std::move(query));
  }
  return queries;
}

}  // namespace vigie::bench
