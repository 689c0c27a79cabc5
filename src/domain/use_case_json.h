// The public JSON representation of a fiche (French camelCase field names, as in the API and
// the demonstration files). The store keeps this same document, so one name per field runs
// from the API to the database.
#pragma once

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "domain/use_case.h"

namespace vigie::domain {

// Every field, including read-only ones (id, revision, creeLe, modifieLe, demo).
nlohmann::json to_json(const UseCase& use_case);

enum class ReadOnlyFields { ignore, keep };

// Reads a fiche. Fields absent take their empty value. Fails with `invalid` listing every
// field of the wrong type and every unknown field (French messages, field paths such as
// "donnees.aipd" or "metiers[0].famille"). With ReadOnlyFields::ignore, id, revision, dates
// of creation and update and the demo flag are not read (API input); with keep they are
// (store, demonstration files).
Result<UseCase> from_json(const nlohmann::json& document, ReadOnlyFields read_only = ReadOnlyFields::ignore);

}  // namespace vigie::domain
