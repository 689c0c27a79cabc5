// The lock of a data directory: `vigie serve` holds it while it serves, `vigie restore` while it
// replaces the database, so that a restore never replaces the database under a running server.
// It is an advisory lock (flock) on the file `vigie.lock` of the data directory, which also
// holds the holder's process id for the messages; the system releases it when the process
// ends, however it ends.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/result.h"

namespace vigie::app {

class InstanceLock {
 public:
  // Takes the lock of `data_dir` without waiting. Fails with `conflict` when another process
  // (or another InstanceLock of this one) holds it, naming its process id; `unavailable` when
  // the lock file cannot be opened. `what` says what the holder is doing ("sert le site"…), for
  // the file.
  static Result<std::unique_ptr<InstanceLock>> acquire(const std::filesystem::path& data_dir, const std::string& what);
  ~InstanceLock();  // releases the lock
  InstanceLock(const InstanceLock&) = delete;
  InstanceLock& operator=(const InstanceLock&) = delete;

 private:
  explicit InstanceLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace vigie::app
