#include "backstop/errors.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace backstop {

const char* toString(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidInput: return "invalid_input";
    case ErrorCode::LimitExceeded: return "limit_exceeded";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Internal: return "internal";
  }
  return "internal";
}

static std::string summarise(const std::vector<FieldError>& errors) {
  std::string s;
  for (const auto& e : errors) {
    if (!s.empty()) s += "; ";
    s += (e.pointer.empty() ? std::string("(document)") : e.pointer) + ": " + e.message;
  }
  return s;
}

InputError::InputError(ErrorCode code, std::vector<FieldError> errors)
    : std::runtime_error(summarise(errors)), code_(code), errors_(std::move(errors)) {}

void Issues::add(std::string pointer, std::string message) {
  errors_.push_back({std::move(pointer), std::move(message)});
}

void Issues::limit(std::string pointer, std::string message) {
  limitExceeded_ = true;
  errors_.push_back({std::move(pointer), std::move(message), true});
}

void Issues::add(const FieldError& e) {
  if (e.limit) limitExceeded_ = true;
  errors_.push_back(e);
}

void Issues::throwIfAny() const {
  if (!errors_.empty())
    throw InputError(limitExceeded_ ? ErrorCode::LimitExceeded : ErrorCode::InvalidInput, errors_);
}

std::string formatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  for (int precision = 6; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

}  // namespace backstop
