// Errors as values: Result<T> holds either a T or an Error.
//
// An Error has a kind (what went wrong, in the terms callers branch on), a French message
// for people, and, for invalid input, the list of fields at fault. Errors become HTTP
// statuses in exactly one place (web/problem.h).
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace vigie {

enum class ErrorKind {
  invalid,      // the input breaks a rule; `fields` says which
  not_found,    // no such thing
  conflict,     // the thing changed since the caller read it (stale revision), or already exists
  forbidden,    // the caller may not do this
  unauthorized, // the caller did not say who they are
  too_large,    // the input is bigger than allowed
  exhausted,    // a quota or a rate limit is used up: the same request may succeed later
  unavailable,  // a resource (database, index, file) cannot be used right now
  internal,     // a bug or an unexpected library failure
};

// A rule broken by one field. `field` is the field's path in the public (French, camelCase)
// representation, e.g. "donnees.aipd" or "porteurs[1]"; `message` is French, for people.
struct FieldError {
  std::string field;
  std::string message;
  bool operator==(const FieldError&) const = default;
};

struct [[nodiscard]] Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;
  std::vector<FieldError> fields;

  static Error invalid(std::string message, std::vector<FieldError> fields = {}) {
    return {ErrorKind::invalid, std::move(message), std::move(fields)};
  }
  static Error not_found(std::string message) { return {ErrorKind::not_found, std::move(message), {}}; }
  static Error conflict(std::string message) { return {ErrorKind::conflict, std::move(message), {}}; }
  static Error forbidden(std::string message) { return {ErrorKind::forbidden, std::move(message), {}}; }
  static Error unauthorized(std::string message) { return {ErrorKind::unauthorized, std::move(message), {}}; }
  static Error too_large(std::string message) { return {ErrorKind::too_large, std::move(message), {}}; }
  static Error exhausted(std::string message) { return {ErrorKind::exhausted, std::move(message), {}}; }
  static Error unavailable(std::string message) { return {ErrorKind::unavailable, std::move(message), {}}; }
  static Error internal(std::string message) { return {ErrorKind::internal, std::move(message), {}}; }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}        // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Precondition: ok().
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // Precondition: !ok().
  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace vigie

// TRY(expr): evaluate a Result; on error return it from the enclosing function.
#define VIGIE_CONCAT_INNER(a, b) a##b
#define VIGIE_CONCAT(a, b) VIGIE_CONCAT_INNER(a, b)
#define TRY_STATUS(expr)                                  \
  do {                                                    \
    auto vigie_try_result_ = (expr);                      \
    if (!vigie_try_result_.ok()) return std::move(vigie_try_result_).error(); \
  } while (false)
#define TRY_ASSIGN(lhs, expr) TRY_ASSIGN_IMPL(VIGIE_CONCAT(vigie_try_, __LINE__), lhs, expr)
#define TRY_ASSIGN_IMPL(tmp, lhs, expr)                   \
  auto tmp = (expr);                                      \
  if (!tmp.ok()) return std::move(tmp).error();           \
  lhs = std::move(tmp).value()
