#include "territory/referential_loader.h"

#include <string>

#include "core/clock.h"
#include "territory/referential_reader.h"

namespace vigie::territory {

Result<LoadReport> load_referential(store::OrganisationDirectory& organisations, const std::filesystem::path& package_dir,
                                    std::chrono::system_clock::time_point now) {
  const auto started = std::chrono::steady_clock::now();
  // Everything is read and checked before writing: a bad file never reaches the store.
  TRY_ASSIGN(Referential referential, read_referential(package_dir));
  LoadReport report;
  report.version = referential.version;
  for (const domain::Organisation& organisation : referential.organisations) ++report.counts_by_kind[organisation.kind];
  TRY_ASSIGN(report.organisations_written, organisations.write_referential(kReferentialSource, referential.version,
                                                                           referential.organisations, format_rfc3339(now)));
  report.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  return report;
}

}  // namespace vigie::territory
