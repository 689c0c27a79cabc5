#include "domain/organisation.h"

namespace vigie::domain {

SizeBand size_band(std::optional<std::int64_t> population) {
  if (!population) return SizeBand::unknown;
  if (*population < 3500) return SizeBand::under_3500;
  if (*population < 20000) return SizeBand::from_3500_to_20000;
  if (*population <= 100000) return SizeBand::from_20000_to_100000;
  return SizeBand::over_100000;
}

const char* size_band_code(SizeBand band) {
  switch (band) {
    case SizeBand::under_3500: return "moins-3500";
    case SizeBand::from_3500_to_20000: return "3500-20000";
    case SizeBand::from_20000_to_100000: return "20000-100000";
    case SizeBand::over_100000: return "plus-100000";
    case SizeBand::unknown: break;
  }
  return "inconnue";
}

const char* size_band_label(SizeBand band) {
  switch (band) {
    case SizeBand::under_3500: return "Moins de 3\u202F500 habitants";
    case SizeBand::from_3500_to_20000: return "De 3\u202F500 à 20\u202F000 habitants";
    case SizeBand::from_20000_to_100000: return "De 20\u202F000 à 100\u202F000 habitants";
    case SizeBand::over_100000: return "Plus de 100\u202F000 habitants";
    case SizeBand::unknown: break;
  }
  return "Population inconnue";
}

}  // namespace vigie::domain
