#include "pages/format.h"

#include <array>

#include "core/text.h"

namespace vigie::pages {

std::string french_date(const std::string& iso) {
  static constexpr std::array<const char*, 12> kMonths = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                                                          "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
  if (iso.size() < 7 || iso[4] != '-') return iso;
  const int month = (iso[5] - '0') * 10 + (iso[6] - '0');
  if (month < 1 || month > 12) return iso;
  std::string month_year = std::string(kMonths[static_cast<std::size_t>(month - 1)]) + " " + iso.substr(0, 4);
  if (iso.size() < 10 || iso[7] != '-') return month_year;
  const int day = (iso[8] - '0') * 10 + (iso[9] - '0');
  if (day < 1 || day > 31) return month_year;
  return (day == 1 ? std::string("1er") : std::to_string(day)) + " " + month_year;
}

std::string french_euros(std::int64_t amount) { return text::group_digits(amount) + "\u00A0€"; }

std::string french_population(std::optional<std::int64_t> population) {
  if (!population) return "";
  return text::group_digits(*population) + (*population > 1 ? " habitants" : " habitant");
}

std::string french_percent(std::int64_t part, std::int64_t total) {
  const std::int64_t percent = total == 0 ? 0 : (part * 100 + total / 2) / total;
  return std::to_string(percent) + "\u00A0%";
}

}  // namespace vigie::pages
