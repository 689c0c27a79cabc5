// Counts consultations of fiche pages in memory and adds them to the store every few seconds
// (store::UseCaseStore::add_views), so that a page view costs no write: « les fiches les plus
// consultées ». A count per fiche, nothing about the visitor.
//
// Thread-safety: record() from any thread; flush() and the flushing thread are serialised
// inside. Counts not yet flushed are lost if the process is killed; the destructor flushes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "core/result.h"
#include "domain/use_case.h"
#include "store/use_case_store.h"

namespace vigie::app {

class ViewCounter {
 public:
  // `store` must outlive the counter.
  explicit ViewCounter(store::UseCaseStore& store) : store_(store) {}
  ~ViewCounter();
  ViewCounter(const ViewCounter&) = delete;
  ViewCounter& operator=(const ViewCounter&) = delete;

  void record(domain::UseCaseId id);
  // Adds the counts recorded since the last flush to the store. On failure they are kept for
  // the next flush.
  Status flush();
  // Flushes every `interval` on a thread of its own until destruction.
  void start(std::chrono::milliseconds interval);

 private:
  store::UseCaseStore& store_;
  std::mutex mutex_;  // guards pending_ and stopping_
  std::map<domain::UseCaseId, std::int64_t> pending_;
  bool stopping_ = false;
  std::condition_variable wake_;
  std::mutex flush_mutex_;  // one flush at a time
  std::thread flusher_;
};

}  // namespace vigie::app
