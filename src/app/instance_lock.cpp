#include "app/instance_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace vigie::app {

namespace {

std::string read_holder(int fd) {
  char buffer[256] = {};
  const auto read = ::pread(fd, buffer, sizeof buffer - 1, 0);
  if (read <= 0) return {};
  std::string text(buffer, static_cast<std::size_t>(read));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

Result<std::unique_ptr<InstanceLock>> InstanceLock::acquire(const std::filesystem::path& data_dir, const std::string& what) {
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  const auto path = data_dir / "vigie.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Error::unavailable(fmt::format("{} : ouverture impossible ({})", path.string(), std::strerror(errno)));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const std::string holder = read_holder(fd);
    ::close(fd);
    return Error::conflict(fmt::format("une instance de Vigie utilise déjà le dossier {}{}", data_dir.string(),
                                       holder.empty() ? std::string() : " (" + holder + ")"));
  }
  const std::string line = fmt::format("processus {}\u00A0: {}\n", ::getpid(), what);
  // Without the note the lock holds all the same; only a refused process's message is poorer.
  (void)!::ftruncate(fd, 0);
  (void)!::pwrite(fd, line.data(), line.size(), 0);
  return std::unique_ptr<InstanceLock>(new InstanceLock(fd));
}

InstanceLock::~InstanceLock() {
  // Truncated before unlocking, so no reader sees a stale note; the file stays (removing it
  // while another process opens it would let two processes lock two different files).
  (void)!::ftruncate(fd_, 0);
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

}  // namespace vigie::app
