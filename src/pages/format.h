// French formatting of dates and numbers for pages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace vigie::pages {

// "2024" -> "2024", "2024-03" -> "mars 2024", "2024-03-01" -> "1er mars 2024",
// "2024-03-15T10:00:00Z" -> "15 mars 2024". Unknown formats are returned unchanged.
std::string french_date(const std::string& iso);

// 86000 -> "86 000 €" (narrow no-break spaces).
std::string french_euros(std::int64_t amount);

// 227830 -> "227 830 habitants"; nullopt -> "".
std::string french_population(std::optional<std::int64_t> population);

// Percentage rounded to the unit, "42 %" (no-break space), 0 when total is 0.
std::string french_percent(std::int64_t part, std::int64_t total);

}  // namespace vigie::pages
