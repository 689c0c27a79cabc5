// The real assessment data of data/assessment/, loaded once for the tests.
#pragma once

#include <stdexcept>

#include "assessment/assessment_data.h"
#include "tests/support/fixtures.h"

namespace vigie::test {

inline const assessment::AssessmentData& assessment_data() {
  static const assessment::AssessmentData loaded = [] {
    auto result = assessment::AssessmentData::load(source_dir() / "data" / "assessment", taxonomies());
    if (!result.ok()) throw std::runtime_error(result.error().message);
    return std::move(result).value();
  }();
  return loaded;
}

}  // namespace vigie::test
