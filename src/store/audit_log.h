// The audit log, read: who changed what, when (every write through the site, the API or the
// command line appends its entry in its own transaction; see use_case_backend.h and
// assessment_backend.h). Backends: sqlite/audit.h, postgres/postgres_audit_log.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace vigie::store {

struct AuditEntry {
  std::string at;         // RFC 3339
  std::string actor;      // "admin-token", "cli:demo", "systeme:quota"…
  std::string action;     // create, update, archive, attach, prune, delete-demo…
  std::string entity;     // fiche, evaluation
  std::string entity_id;  // "*" for an action on every entity of its kind
  std::optional<std::int64_t> revision;
};

// Entries matching every non-empty field, most recent first.
// (Every member has a default, so that a query names only its filters: {.action = "prune"}.)
struct AuditQuery {
  std::string entity{};
  std::string entity_id{};
  std::string actor{};
  std::string action{};
  std::size_t limit = 100;
};

// Thread-safe.
class AuditLog {
 public:
  virtual ~AuditLog() = default;
  virtual Result<std::vector<AuditEntry>> entries(const AuditQuery& query) = 0;
};

}  // namespace vigie::store
