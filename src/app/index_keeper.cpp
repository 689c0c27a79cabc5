#include "app/index_keeper.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>

namespace vigie::app {

namespace {

constexpr const char* kRequestFile = "reconstruction-demandee";

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

IndexKeeper::IndexKeeper(search::SearchIndex& index, search::IndexFollower& follower, std::filesystem::path index_directory,
                         std::function<void()> on_rebuilt, Options options)
    : index_(index),
      follower_(follower),
      index_directory_(std::move(index_directory)),
      on_rebuilt_(std::move(on_rebuilt)),
      options_(options) {}

IndexKeeper::~IndexKeeper() { stop(); }

std::filesystem::path IndexKeeper::request_file(const std::filesystem::path& index_directory) { return index_directory / kRequestFile; }

Status IndexKeeper::request_rebuild(const std::filesystem::path& index_directory) {
  std::ofstream out(request_file(index_directory));
  out << "vigie index\n";
  if (!out.flush()) {
    return Error::unavailable(fmt::format("impossible d'écrire la demande de reconstruction dans {}", index_directory.string()));
  }
  return {};
}

void IndexKeeper::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void IndexKeeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void IndexKeeper::nudge() {
  {
    std::lock_guard lock(mutex_);
    nudged_ = true;
  }
  wake_.notify_all();
}

IndexKeeper::State IndexKeeper::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::string IndexKeeper::problem() const {
  std::lock_guard lock(mutex_);
  return problem_;
}

void IndexKeeper::set(State state, std::string problem) {
  std::lock_guard lock(mutex_);
  state_ = state;
  problem_ = std::move(problem);
}

bool IndexKeeper::settle(const Status& outcome, std::chrono::steady_clock::time_point start, std::string_view done) {
  if (!outcome.ok()) {
    spdlog::error("index de recherche : {}", outcome.error().message);
    set(State::failing, outcome.error().message);
    return false;
  }
  spdlog::info("{} : {} fiches ({:.1f} s)", done, index_.document_count(), seconds_since(start));
  set(State::ready, "");
  // Pages rendered from the index as it was (empty while building, or broken) must not outlive it.
  if (on_rebuilt_) on_rebuilt_();
  return true;
}

bool IndexKeeper::rebuild(const char* reason) {
  const auto start = std::chrono::steady_clock::now();
  spdlog::warn("index de recherche : reconstruction ({}) ; le site sert l'index actuel en attendant", reason);
  Status outcome = follower_.rebuild();
  if (outcome.ok()) {
    // Changes written during the rebuild.
    if (auto applied = follower_.catch_up(); !applied.ok()) outcome = std::move(applied).error();
  }
  return settle(outcome, start, "index de recherche reconstruit");
}

void IndexKeeper::run() {
  const auto start = std::chrono::steady_clock::now();
  auto applied = follower_.catch_up();
  settle(applied.ok() ? Status{} : Status(std::move(applied).error()), start, "index de recherche à jour");
  auto retry = options_.first_retry;
  auto next_attempt = std::chrono::steady_clock::now();
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.check_every, [this] { return stopping_ || nudged_; });
      if (stopping_) return;
      nudged_ = false;
    }
    std::error_code error;
    const bool requested = std::filesystem::remove(request_file(index_directory_), error);
    const auto problem = index_.problem();
    const bool failing = problem || state() == State::failing;
    if (requested) {
      spdlog::info("index de recherche : reconstruction demandée par « vigie index »");
      if (rebuild("demandée")) retry = options_.first_retry;
    } else if (failing && std::chrono::steady_clock::now() >= next_attempt) {
      if (problem) set(State::failing, *problem);
      if (rebuild(problem ? problem->c_str() : "échec précédent")) {
        retry = options_.first_retry;
      } else {
        next_attempt = std::chrono::steady_clock::now() + retry;
        retry = std::min(retry * 2, options_.last_retry);
      }
    } else if (!failing) {
      // This node's writes (nudged) and the other nodes' (each check): one commit for all.
      if (auto caught_up = follower_.catch_up(); !caught_up.ok()) {
        spdlog::error("index de recherche : {}", caught_up.error().message);
      }
    }
  }
}

}  // namespace vigie::app
