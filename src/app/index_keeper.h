// Keeps the search index of a serving process up to date and whole, on a thread of its own:
// the catch-up at start (a rebuild when the index is new or far behind), then a rebuild in a
// new generation beside the live one — the site serving from the live one meanwhile — whenever
//   - the index reports a problem (a corrupt file, a write error such as a full disk:
//     SearchIndex::problem), retried with a growing delay while it fails, or
//   - `vigie index` asks for one (it cannot rebuild an index a server holds: it leaves a
//     request file in the index directory, see request_rebuild).
// After each catch-up or rebuild, `on_rebuilt` runs (the page cache forgets pages rendered
// from the index as it was).
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "core/result.h"
#include "search/index_follower.h"
#include "search/search_index.h"

namespace vigie::app {

class IndexKeeper {
 public:
  enum class State { building, ready, failing };

  struct Options {
    std::chrono::milliseconds check_every{1000};
    std::chrono::milliseconds first_retry{5000};  // doubled after each failed rebuild
    std::chrono::milliseconds last_retry{300000};
  };

  // References must outlive the keeper.
  IndexKeeper(search::SearchIndex& index, search::IndexFollower& follower, std::filesystem::path index_directory,
              std::function<void()> on_rebuilt, Options options);
  IndexKeeper(search::SearchIndex& index, search::IndexFollower& follower, std::filesystem::path index_directory,
              std::function<void()> on_rebuilt)
      : IndexKeeper(index, follower, std::move(index_directory), std::move(on_rebuilt), Options{}) {}
  ~IndexKeeper();  // stops and joins
  IndexKeeper(const IndexKeeper&) = delete;
  IndexKeeper& operator=(const IndexKeeper&) = delete;

  void start();
  void stop();
  // Asks the keeper's thread to bring the index up to date now (after a write): the writer does
  // not wait for it. Otherwise the thread catches up every `check_every` (writes of other nodes).
  void nudge();

  // For /healthz: the state, and the problem in French while failing.
  State state() const;
  std::string problem() const;

  // Asks the server holding the index in `index_directory` to rebuild it (from `vigie index`).
  static Status request_rebuild(const std::filesystem::path& index_directory);
  static std::filesystem::path request_file(const std::filesystem::path& index_directory);

 private:
  void run();
  bool rebuild(const char* reason);
  // Logs and records the outcome of a catch-up or rebuild begun at `start`; when it succeeded,
  // runs on_rebuilt_. Returns whether it succeeded.
  bool settle(const Status& outcome, std::chrono::steady_clock::time_point start, std::string_view done);
  void set(State state, std::string problem);

  search::SearchIndex& index_;
  search::IndexFollower& follower_;
  const std::filesystem::path index_directory_;
  const std::function<void()> on_rebuilt_;
  const Options options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool nudged_ = false;
  State state_ = State::building;
  std::string problem_;
  std::thread thread_;
};

}  // namespace vigie::app
