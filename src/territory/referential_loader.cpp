#include "territory/referential_loader.h"

#include <ctime>
#include <string>

#include "territory/referential_reader.h"

namespace vigie::territory {

namespace {

std::string rfc3339_utc(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  const std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(buffer, length);
}

}  // namespace

Result<LoadReport> load_referential(store::OrganisationDirectory& organisations, const std::filesystem::path& package_dir,
                                    std::chrono::system_clock::time_point now) {
  const auto started = std::chrono::steady_clock::now();
  // Everything is read and checked before writing: a bad file never reaches the store.
  TRY_ASSIGN(Referential referential, read_referential(package_dir));
  LoadReport report;
  report.version = referential.version;
  for (const domain::Organisation& organisation : referential.organisations) ++report.counts_by_kind[organisation.kind];
  TRY_ASSIGN(report.organisations_written, organisations.write_referential(kReferentialSource, referential.version,
                                                                           referential.organisations, rfc3339_utc(now)));
  report.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  return report;
}

}  // namespace vigie::territory
