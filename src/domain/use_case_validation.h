// Every rule a fiche must satisfy, in one place. Each broken rule is reported against the
// field's public name with a French message; all broken rules are reported at once.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/taxonomy.h"
#include "domain/use_case.h"

namespace vigie::domain {

// What the rules need to know about the outside world, answered by the store.
struct References {
  std::function<bool(const std::string& organisation_code)> organisation_exists;
  std::function<bool(UseCaseId id)> use_case_exists;
};

// Returns the broken rules (empty when the fiche is valid). Pure apart from `references`.
std::vector<FieldError> validate(const UseCase& use_case, const Taxonomies& taxonomies, const References& references);

// True for "YYYY", "YYYY-MM" and "YYYY-MM-DD" with a real calendar date (1900–2100).
bool is_valid_partial_date(const std::string& date);
// True for an absolute http(s) URL without spaces or control characters.
bool is_valid_web_url(const std::string& url);
// True for a plausible e-mail address (one '@', a dot in the domain, no spaces).
bool is_valid_email(const std::string& email);

}  // namespace vigie::domain
