#include "app/commands.h"

#include <fmt/format.h>
#include <sodium.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <fmt/chrono.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/encoding.h"
#include "core/file.h"
#include "api/api.h"
#include "app/demo_loader.h"
#include "app/index_keeper.h"
#include "app/instance_lock.h"
#include "app/page_cache.h"
#include "app/view_counter.h"
#include "core/clock.h"
#include "assessment/assessment_data.h"
#include "domain/taxonomy.h"
#include "web/csrf.h"
#include "observatory/france_map.h"
#include "pages/site.h"
#include "pages/templates.h"
#include "store/sqlite/backup.h"
#include "store/sqlite/connection_pool.h"
#include "store/store.h"
#include "store/store_copy.h"
#include "search/index_follower.h"
#include "search/search_index.h"
#include "search/french_lexicon.h"
#include "search/vocabulary.h"
#include "territory/referential_loader.h"
#include "web/access_rule.h"
#include "web/listen_address.h"
#include "web/metrics.h"
#include "web/problem.h"
#include "web/rate_limiter.h"
#include "web/server.h"

namespace vigie::app {

namespace {

int fail(const Error& error) {
  spdlog::error("{}", error.message);
  for (const auto& field : error.fields) spdlog::error("  {} : {}", field.field, field.message);
  return 1;
}

// Opens the store the configuration names (SQLite in the data directory by default), creating
// the data directory, which holds the search index whatever the backend.
Result<std::unique_ptr<store::Store>> open_store(const Config& config, const domain::Taxonomies& taxonomies, const Clock& clock,
                                                 store::AssessmentLimits assessment_limits = {}) {
  std::error_code error;
  std::filesystem::create_directories(config.data_dir, error);
  if (error) return Error::unavailable(fmt::format("{} : impossible de créer le dossier de données ({})", config.data_dir.string(), error.message()));
  TRY_ASSIGN(const store::StoreLocation location, config.store_location());
  return store::Store::open(location, taxonomies, clock, assessment_limits);
}

// The SQLite file of the store: `vigie backup` and `vigie restore` copy files; a PostgreSQL
// store has its own tools.
Result<std::filesystem::path> sqlite_file(const Config& config, std::string_view command) {
  TRY_ASSIGN(const store::StoreLocation location, config.store_location());
  if (location.backend == store::StoreLocation::Backend::sqlite) return std::filesystem::path(location.target);
  return Error::invalid(fmt::format("vigie {} copie une base SQLite\u00A0; la base configurée est PostgreSQL ({})\u00A0: sauvegardez-la "
                                    "avec pg_dump et restaurez-la avec pg_restore (README, « Plusieurs nœuds sur PostgreSQL »).",
                                    command, location.display));
}

Result<domain::Taxonomies> load_taxonomies(const Config& config) {
  return domain::Taxonomies::load(config.resources_dir / "data" / "taxonomies");
}

// Opens the search index of the data directory; a corrupt one is removed and recreated
// empty (the follower then rebuilds it from the store); one held by another process is left
// alone and reported.
Result<std::unique_ptr<search::SearchIndex>> open_search_index(const Config& config, const domain::Taxonomies& taxonomies,
                                                               const search::FrenchLexicon* lexicon) {
  TRY_ASSIGN(auto vocabulary, search::Vocabulary::load(config.resources_dir / "data" / "vocabulaire"));
  const auto directory = config.data_dir / "index";
  auto index = search::SearchIndex::open(directory, vocabulary, taxonomies, lexicon);
  // Held by another process (a second `vigie serve`, or `vigie index` beside a server): never
  // removed, that process is using it.
  if (index.ok() || index.error().kind == ErrorKind::conflict) return index;
  spdlog::warn("{} ; l'index est reconstruit depuis la base", index.error().message);
  std::error_code ignored;
  std::filesystem::remove_all(directory, ignored);
  return search::SearchIndex::open(directory, std::move(vocabulary), taxonomies, lexicon);
}

// Owners of a fiche for the index.
search::OrganisationLookup organisation_lookup(store::OrganisationDirectory& organisations) {
  return [&organisations](const std::string& code) -> std::optional<domain::Organisation> {
    auto found = organisations.find(code);
    if (!found.ok()) return std::nullopt;
    return std::move(found).value();
  };
}

// How far this node's search index lags the store's change sequence: -1 when the store cannot
// say (it does not answer).
struct IndexLag {
  std::int64_t store_sequence = -1;
  std::int64_t index_sequence = -1;
  std::int64_t changes = -1;
};

IndexLag index_lag(store::UseCaseStore& use_cases, const search::SearchIndex& index) {
  IndexLag lag;
  lag.index_sequence = index.sequence();
  if (auto last = use_cases.last_change(); last.ok()) {
    lag.store_sequence = *last;
    lag.changes = std::max<std::int64_t>(0, *last - std::max<std::int64_t>(0, lag.index_sequence));
  }
  return lag;
}

// /healthz: 200 while the database answers, writes succeed and the search index is whole (or
// being built at start); 503 otherwise, naming what fails. It also says how far the node's
// index lags the store (sequence numbers of the `changes` table): a node behind a load
// balancer that lags far is still served, the lag being minutes at worst (a rebuild).
web::Response health_response(store::Instance& instance, const IndexKeeper& keeper, const web::Metrics& metrics,
                              const IndexLag& lag) {
  // A write failing now and then is the writer's (a conflict is not a 5xx); several in a row
  // are the server's: a full disk, a database that cannot write.
  constexpr std::uint64_t kFailedWritesInARow = 3;
  nlohmann::json body = {{"statut", "ok"}};
  unsigned status = 200;
  if (auto answered = instance.ping(); !answered.ok()) {
    body["statut"] = "indisponible";
    body["base"] = answered.error().message;
    status = 503;
  }
  if (const auto failed = metrics.failed_writes_in_a_row(); failed >= kFailedWritesInARow) {
    body["ecritures"] = fmt::format("{} écritures de suite en échec (disque plein ?) : voir le journal", failed);
    if (status == 200) body["statut"] = "degrade";
    status = 503;
  }
  if (lag.store_sequence >= 0) {
    body["sequence_base"] = lag.store_sequence;
    body["sequence_index"] = lag.index_sequence;
    body["retard_index"] = lag.changes;
  }
  switch (keeper.state()) {
    case IndexKeeper::State::building: body["index"] = "construction en cours"; break;
    case IndexKeeper::State::ready: body["index"] = "ok"; break;
    case IndexKeeper::State::failing:
      body["index"] = "en échec, reconstruction en cours : " + keeper.problem();
      if (status == 200) body["statut"] = "degrade";
      status = 503;
      break;
  }
  return web::Response::json(body.dump(), status);
}

// The rate limits' buckets in the store, so that every node serving the database counts the
// same allowance (web/rate_limiter.h).
class StoreBuckets final : public web::SharedBuckets {
 public:
  explicit StoreBuckets(store::Instance& instance) : instance_(instance) {}

  bool update(const std::vector<std::string>& keys, const Update& update, std::chrono::seconds forget_after) override {
    using std::chrono::milliseconds;
    const auto to_ms = [](std::chrono::system_clock::time_point time) {
      return std::chrono::duration_cast<milliseconds>(time.time_since_epoch()).count();
    };
    const auto forget_before = to_ms(std::chrono::system_clock::now() - forget_after);
    auto updated = instance_.update_rate_buckets(
        keys,
        [&](const std::vector<std::optional<store::RateBucket>>& stored) {
          std::vector<std::optional<State>> current;
          for (const auto& bucket : stored) {
            if (bucket) current.push_back(State{bucket->tokens, std::chrono::system_clock::time_point(milliseconds(bucket->updated_ms))});
            else current.push_back(std::nullopt);
          }
          std::vector<store::RateBucket> next;
          for (const State& state : update(current)) next.push_back({state.tokens, to_ms(state.updated)});
          return next;
        },
        forget_before);
    if (!updated.ok()) {
      spdlog::warn("limites d'écriture anonyme : la base ne répond pas ({}) ; ce nœud compte seul en attendant", updated.error().message);
      return false;
    }
    return true;
  }

 private:
  store::Instance& instance_;
};

// 32 random bytes as base64url text: a new shared secret.
std::string random_secret() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium");
  std::string bytes(32, '\0');
  randombytes_buf(bytes.data(), bytes.size());
  return encoding::base64url_encode(bytes);
}

}  // namespace

int command_index(const Config& config) {
  auto taxonomies = load_taxonomies(config);
  if (!taxonomies.ok()) return fail(taxonomies.error());
  SystemClock clock;
  auto store = open_store(config, *taxonomies, clock);
  if (!store.ok()) return fail(store.error());
  auto index = open_search_index(config, *taxonomies, nullptr);
  if (!index.ok() && index.error().kind == ErrorKind::conflict) {
    // A running server holds the index: it rebuilds it itself, in a new generation, while it
    // serves. Deleting or rewriting it from here would break that server.
    if (auto requested = IndexKeeper::request_rebuild(config.data_dir / "index"); !requested.ok()) return fail(requested.error());
    fmt::print("Un serveur Vigie utilise cet index : reconstruction demandée à ce serveur, qui la fait sans interrompre le service "
               "(suivez son journal : « index de recherche reconstruit »).\n");
    return 0;
  }
  if (!index.ok()) return fail(index.error());
  search::IndexFollower follower(**index, (*store)->use_cases(), organisation_lookup((*store)->organisations()));
  const auto start = std::chrono::steady_clock::now();
  if (auto rebuilt = follower.rebuild(); !rebuilt.ok()) return fail(rebuilt.error());
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("Index de recherche reconstruit : {} fiches publiées en {:.1f} s.\n", (*index)->document_count(), elapsed);
  return 0;
}

int command_setup(const Config& config) {
  auto taxonomies = load_taxonomies(config);
  if (!taxonomies.ok()) return fail(taxonomies.error());
  SystemClock clock;
  auto store = open_store(config, *taxonomies, clock);
  if (!store.ok()) return fail(store.error());
  const auto package = config.resources_dir / "node_modules" / "@etalab" / "decoupage-administratif";
  auto report = territory::load_referential((*store)->organisations(), package);
  if (!report.ok()) return fail(report.error());
  if (auto analyzed = (*store)->analyze(); !analyzed.ok()) return fail(analyzed.error());
  fmt::print("Base {} prête ; référentiel territorial {} chargé.\n", (*store)->location().display, report->version);
  return 0;
}

int command_demo(const Config& config) {
  auto taxonomies = load_taxonomies(config);
  if (!taxonomies.ok()) return fail(taxonomies.error());
  SystemClock clock;
  auto store = open_store(config, *taxonomies, clock);
  if (!store.ok()) return fail(store.error());
  auto report = load_demo(config.resources_dir / "data" / "demo" / "fiches.json", (*store)->instance(), (*store)->use_cases(), clock);
  if (!report.ok()) return fail(report.error());
  if (auto analyzed = (*store)->analyze(); !analyzed.ok()) return fail(analyzed.error());
  if (report->already_loaded) fmt::print("Fiches de démonstration déjà chargées (aucun changement).\n");
  else fmt::print("{} fiches de démonstration (fictives) chargées.\n", report->loaded);
  return 0;
}

namespace {

// "12,3 Mo"
std::string megabytes(std::uintmax_t bytes) {
  std::string text = fmt::format("{:.1f}\u00A0Mo", static_cast<double>(bytes) / 1e6);
  std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

std::string describe(const store::sqlite::DatabaseSummary& summary) {
  return fmt::format("{} fiches, {} évaluations ({} versions), {} changements, {} entrées du journal d’audit, schéma {}, {}",
                     summary.use_cases, summary.assessments, summary.assessment_versions, summary.last_change,
                     summary.audit_entries, summary.schema_version, megabytes(summary.file_bytes));
}

// For the commands an operator or a timer runs by hand (backup, restore): the message alone, on
// stderr, where a cron job's mail or the journal picks it up.
int fail_on_stderr(const Error& error) {
  fmt::print(stderr, "{}\n", error.message);
  return 1;
}

// Moves `from` (and its -wal, the committed transactions not yet written into it) to `to`; the
// shared-memory file is only a cache of the log and is removed.
Status move_database_aside(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::error_code error;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(to.string() + suffix, error);
  for (const char* suffix : {"", "-wal", "-journal"}) {
    const std::filesystem::path file = from.string() + suffix;
    if (!std::filesystem::exists(file, error)) continue;
    std::filesystem::rename(file, to.string() + suffix, error);
    if (error) return Error::unavailable(fmt::format("{} : déplacement impossible ({})", file.string(), error.message()));
  }
  std::filesystem::remove(from.string() + "-shm", error);
  return {};
}

}  // namespace

int command_backup(const Config& config, const std::filesystem::path& destination) {
  auto database = sqlite_file(config, "backup");
  if (!database.ok()) return fail_on_stderr(database.error());
  std::filesystem::path target = destination;
  std::error_code error;
  if (std::filesystem::is_directory(destination, error)) {
    // A dated name: `vigie backup /var/backups/vigie` from a timer keeps one file a run.
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    target = destination / fmt::format("vigie-{:%Y%m%dT%H%M%SZ}.db", now);
  }
  const auto start = std::chrono::steady_clock::now();
  auto summary = store::sqlite::backup_database(*database, target);
  if (!summary.ok()) return fail_on_stderr(summary.error());
  fmt::print("Sauvegarde de {} écrite dans {} en {:.1f}\u00A0s\u00A0: {}.\n", database->string(), target.string(),
             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), describe(*summary));
  fmt::print("L’index de recherche n’est pas sauvegardé\u00A0: il se reconstruit depuis la base (vigie index, ou au démarrage de vigie serve).\n");
  return 0;
}

int command_restore(const Config& config, const std::filesystem::path& source) {
  auto database_file = sqlite_file(config, "restore");
  if (!database_file.ok()) return fail_on_stderr(database_file.error());
  // Held until the end: no server may start on a database being replaced.
  auto lock = InstanceLock::acquire(config.data_dir, "vigie restore");
  if (!lock.ok()) {
    if (lock.error().kind != ErrorKind::conflict) return fail_on_stderr(lock.error());
    return fail_on_stderr(Error::conflict(fmt::format("restauration refusée\u00A0: {}. Arrêtez-la d’abord (par exemple systemctl stop vigie), "
                                            "puis relancez vigie restore.", lock.error().message)));
  }
  auto checked = store::sqlite::check_database(source);
  if (!checked.ok()) return fail_on_stderr(Error::invalid(fmt::format("restauration refusée\u00A0: {}.", checked.error().message)));
  // Copied beside the database first (the online backup API reads a source in any journal
  // mode), then swapped in by a rename: an interrupted restore leaves the old database whole.
  const std::filesystem::path database = *database_file;
  const std::filesystem::path incoming = database.string() + ".restauration";
  std::error_code error;
  std::filesystem::remove(incoming, error);
  auto copied = store::sqlite::backup_database(source, incoming);
  if (!copied.ok()) return fail_on_stderr(copied.error());
  const std::filesystem::path previous = database.string() + ".avant-restauration";
  if (std::filesystem::exists(database, error)) {
    if (auto moved = move_database_aside(database, previous); !moved.ok()) return fail_on_stderr(moved.error());
  }
  std::filesystem::rename(incoming, database, error);
  if (error) return fail_on_stderr(Error::unavailable(fmt::format("{} : remplacement impossible ({})", database.string(), error.message())));
  // The index reflects the replaced database's change sequence: rebuilt from the restored one.
  std::filesystem::remove_all(config.data_dir / "index", error);
  // Opening migrates a backup made by an older version.
  auto pool = store::sqlite::ConnectionPool::open(database.string());
  if (!pool.ok()) return fail_on_stderr(pool.error());
  fmt::print("Base {} restaurée depuis {}\u00A0: {}.\n", database.string(), source.string(), describe(*checked));
  if (std::filesystem::exists(previous, error)) fmt::print("La base remplacée est gardée dans {}.\n", previous.string());
  fmt::print("L’index de recherche sera reconstruit au démarrage de vigie serve (ou par vigie index).\n");
  return 0;
}

int command_copy_store(const Config& config, const std::string& from, const std::string& to) {
  auto source = from.empty() ? config.store_location() : store::parse_store_location(from);
  if (!source.ok()) return fail_on_stderr(Error::invalid("--from : " + source.error().message));
  auto target = store::parse_store_location(to);
  if (!target.ok()) return fail_on_stderr(Error::invalid("--to : " + target.error().message));
  const auto start = std::chrono::steady_clock::now();
  auto report = store::copy_store(*source, *target);
  if (!report.ok()) return fail_on_stderr(report.error());
  std::int64_t rows = 0;
  for (const auto& [table, count] : report->rows) rows += count;
  fmt::print("Instance copiée de {} vers {} en {:.1f}\u00A0s\u00A0: {} fiches, {} organisations, {} évaluations, {} lignes en tout\u00A0; "
             "nombres de lignes et somme de contrôle des fiches ({}) vérifiés des deux côtés.\n",
             source->display, target->display, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
             report->rows.at("use_cases"), report->rows.at("organisations"), report->rows.at("assessments"), rows,
             report->fiches_checksum);
  fmt::print("L’index de recherche se construit depuis la nouvelle base au démarrage de vigie serve (ou par vigie index).\n");
  return 0;
}

int command_serve(const Config& config) {
  if (auto checked = check_serving_config(config); !checked.ok()) return fail(checked.error());
  // A taken address (a server already running) stops the command before it opens its data.
  if (auto free = web::probe_listen_address(config.listen); !free.ok()) return fail(free.error());
  // Held while serving: `vigie restore` refuses to replace the database meanwhile.
  auto lock = InstanceLock::acquire(config.data_dir, "vigie serve");
  if (!lock.ok()) return fail(lock.error());
  auto taxonomies = load_taxonomies(config);
  if (!taxonomies.ok()) return fail(taxonomies.error());
  auto templates = pages::Templates::load(config.resources_dir / "templates");
  if (!templates.ok()) return fail(templates.error());
  auto openapi = read_file(config.resources_dir / "data" / "openapi.json");
  if (!openapi.ok()) return fail(openapi.error());
  // The toolkit's questionnaires: a bad file stops the start, naming file, element and problem.
  auto assessments = assessment::AssessmentData::load(config.resources_dir / "data" / "assessment", *taxonomies);
  if (!assessments.ok()) return fail(assessments.error());
  store::AssessmentLimits assessment_limits;
  assessment_limits.max_answers_bytes = config.assessment_max_bytes;
  assessment_limits.max_total_bytes = static_cast<std::int64_t>(config.assessment_storage_bytes);
  assessment_limits.versions_kept = config.assessment_versions_kept;
  SystemClock clock;
  // A database that does not answer yet (a PostgreSQL server starting, or restarting with the
  // machine) is waited for: the node says so in French and tries again, and serves once it
  // answers. Anything else (a bad address, a newer schema) stops the start.
  auto store = open_store(config, *taxonomies, clock, assessment_limits);
  for (std::chrono::seconds wait{1}; !store.ok() && store.error().kind == ErrorKind::unavailable;
       wait = std::min(wait * 2, std::chrono::seconds(30))) {
    spdlog::error("{}\u00A0; nouvel essai dans {}\u00A0s", store.error().message, wait.count());
    std::this_thread::sleep_for(wait);
    store = open_store(config, *taxonomies, clock, assessment_limits);
  }
  if (!store.ok()) return fail(store.error());
  store::UseCaseStore& use_cases = (*store)->use_cases();
  store::OrganisationDirectory& organisations = (*store)->organisations();
  store::AssessmentStore& assessment_store = (*store)->assessments();
  store::Instance& instance = (*store)->instance();
  spdlog::info("Base : {}", (*store)->location().display);

  bool demo_mode = false;
  if (config.demo) {
    demo_mode = *config.demo;
  } else if (auto figures = use_cases.key_figures(); figures.ok()) {
    demo_mode = figures->has_demo;
  }
  std::string referential_version;
  if (auto version = instance.source_version(territory::kReferentialSource); version.ok()) referential_version = *version;
  if (referential_version.empty()) {
    spdlog::warn("le référentiel territorial n'est pas chargé : lancez d'abord « vigie setup »");
  }

  auto lexicon = search::FrenchLexicon::open(search::FrenchLexicon::default_directory());
  if (!lexicon.ok()) return fail(lexicon.error());
  auto index = open_search_index(config, *taxonomies, lexicon->get());
  if (!index.ok()) return fail(index.error());
  search::IndexFollower follower(**index, use_cases, organisation_lookup(organisations));
  // Every new change sequence seen (API write, or another process within the poll interval)
  // is applied to the index before any page is served from it — unless the index is broken:
  // the keeper rebuilds it then, changes included.
  auto follow = [&follower, &index] {
    if ((*index)->problem()) return;
    if (auto applied = follower.catch_up(); !applied.ok()) spdlog::error("index de recherche : {}", applied.error().message);
  };

  // The key of the forms' CSRF tokens, shared by every node of the database (and kept across
  // restarts): drawn here by the first node that starts.
  auto csrf_secret = instance.shared_secret("csrf", random_secret(), clock.now_rfc3339());
  if (!csrf_secret.ok()) return fail(csrf_secret.error());
  const web::Csrf csrf(config.base_url, *csrf_secret);
  auto map = observatory::FranceMap::load(config.resources_dir / "node_modules");
  if (!map.ok()) spdlog::warn("carte indisponible : {}", map.error().message);
  ViewCounter views(use_cases);
  views.start(std::chrono::seconds(5));
  pages::Site site(*templates, *taxonomies, use_cases, organisations, index->get(), map.ok() ? &*map : nullptr,
                   {demo_mode, config.base_url, config.contact_email, referential_version, &*assessments, &assessment_store, &csrf,
                    [&views](domain::UseCaseId id) { views.record(id); }});
  const unsigned threads = config.threads != 0 ? config.threads : std::max(1u, std::thread::hardware_concurrency());
  PageCacheOptions cache_options;
  // One thread is kept for cached pages and static files while the others render.
  cache_options.max_concurrent_renders =
      config.max_concurrent_renders != 0 ? config.max_concurrent_renders : std::max(1u, threads - 1);
  cache_options.render_wait = std::chrono::milliseconds(config.render_wait_ms);
  // With the cache on, the index catches up before the next render rather than in the write's
  // request; with it off, no render goes through the cache, so at once.
  cache_options.catch_up_before_render = config.page_cache;
  cache_options.render_error = [&site](const web::Request& request, unsigned status, const std::string& message) {
    if (request.path.rfind("/api/", 0) == 0) return web::problem(status, message, request.path);
    return site.render_error(request, status, message);
  };
  PageCache page_cache([&use_cases] { return use_cases.last_change(); }, follow, std::move(cache_options));
  // The index catches up (or is rebuilt) in the background: the site serves meanwhile, the
  // library listing from the store until the index has been built once. The keeper then
  // rebuilds it whenever it breaks or `vigie index` asks.
  IndexKeeper keeper(**index, follower, config.data_dir / "index", [&page_cache] { page_cache.invalidate(); });
  keeper.start();
  api::Api api(*taxonomies, use_cases, organisations, index->get(),
               {config.admin_token, config.base_url, [&page_cache, &keeper] {
                  page_cache.refresh();
                  keeper.nudge();
                }, *openapi, &*assessments, &assessment_store});

  auto render_error = [&site](const web::Request& request, unsigned status, const std::string& message) {
    if (request.path.rfind("/api/", 0) == 0) return web::problem(status, message, request.path);
    return site.render_error(request, status, message);
  };
  const std::chrono::seconds window(config.anonymous_writes_window);
  // Counted in the store: one allowance per client whichever node it reaches.
  StoreBuckets shared_buckets(instance);
  web::RateLimiter anonymous_writes({{config.anonymous_writes_per_address, window}, {config.anonymous_writes_global, window}}, clock,
                                    &shared_buckets);

  web::Router router;
  web::Metrics metrics;
  const web::CacheDecorator cached = config.page_cache ? page_cache.decorator() : web::canonical_only_decorator();
  site.register_routes(router, cached, web::rate_limited(anonymous_writes, render_error));
  api.register_routes(router, cached);
  search::SearchIndex& node_index = **index;
  router.add(web::Verb::get, "/healthz", "healthz", [&instance, &keeper, &metrics, &use_cases, &node_index](const web::Request&) {
    return health_response(instance, keeper, metrics, index_lag(use_cases, node_index));
  });
  auto metrics_access = web::AccessRule::create(config.metrics_allow, config.metrics_token);
  if (!metrics_access.ok()) return fail(Error::invalid("metrics_allow : " + metrics_access.error().message));
  store::Store& node_store = **store;
  router.add(web::Verb::get, "/metrics", "metrics", [&metrics, &page_cache, &use_cases, &node_index, &node_store,
                                                     access = *metrics_access](const web::Request& request) {
    if (!access.allows(request)) return web::Response::text("Accès refusé.", 403);
    const IndexLag lag = index_lag(use_cases, node_index);
    const store::PoolUse pool = node_store.pool_use();
    std::string store_metrics = fmt::format(
        "# HELP vigie_index_lag_changes Changes of the store not yet applied to this node's search index (-1: the store does not answer).\n"
        "# TYPE vigie_index_lag_changes gauge\n"
        "vigie_index_lag_changes {}\n"
        "# HELP vigie_index_sequence Last change of the store this node's search index reflects.\n"
        "# TYPE vigie_index_sequence gauge\n"
        "vigie_index_sequence {}\n"
        "# HELP vigie_store_connections Connections of this node to its database, by state.\n"
        "# TYPE vigie_store_connections gauge\n"
        "vigie_store_connections{{state=\"lent\"}} {}\n"
        "vigie_store_connections{{state=\"idle\"}} {}\n",
        lag.changes, lag.index_sequence, pool.lent, pool.idle);
    web::Response response = web::Response::text(metrics.render_prometheus() + page_cache.render_prometheus() + store_metrics);
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return response;
  });

  web::ServerOptions options;
  options.listen = config.listen;
  options.threads = config.threads;
  options.max_body_bytes = config.max_body_bytes;
  options.static_dir = (config.resources_dir / "static").string();
  options.max_connections = config.max_connections;
  options.max_connections_per_address = config.max_connections_per_address;
  options.hsts_max_age = std::chrono::seconds(config.hsts ? config.hsts_max_age : 0);
  options.cors_read_prefix = "/api/v1/";
  const std::uint64_t open_files = web::raise_open_file_limit();
  // A connection holds one descriptor; the database, the index and the files served need some.
  constexpr std::uint64_t kReservedDescriptors = 128;
  if (open_files > kReservedDescriptors && options.max_connections > open_files - kReservedDescriptors) {
    options.max_connections = static_cast<std::size_t>(open_files - kReservedDescriptors);
    spdlog::info("Connexions simultanées limitées à {} (fichiers ouverts : {}).", options.max_connections, open_files);
  }
  auto server = web::Server::create(options, router, metrics, render_error);
  if (!server.ok()) return fail(server.error());
  spdlog::info("Vigie écoute sur http://{}:{}{}{}", config.listen.substr(0, config.listen.rfind(':')), (*server)->port(),
               demo_mode ? " (mode démonstration)" : "", config.admin_token.empty() ? " ; écritures par jeton désactivées" : "");
  (*server)->run();
  keeper.stop();
  spdlog::info("Vigie arrêté.");
  return 0;
}

}  // namespace vigie::app
