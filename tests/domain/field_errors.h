// Readable gtest output and short assertions for lists of FieldError.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "core/result.h"

namespace vigie {

inline void PrintTo(const FieldError& error, std::ostream* out) { *out << '{' << error.field << ": " << error.message << '}'; }

namespace test {

// The field paths of `errors`, in order.
inline std::vector<std::string> fields_of(const std::vector<FieldError>& errors) {
  std::vector<std::string> fields;
  for (const auto& error : errors) fields.push_back(error.field);
  return fields;
}

}  // namespace test
}  // namespace vigie
