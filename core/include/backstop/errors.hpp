// One error strategy end to end: validation collects {pointer, message} pairs; the public
// entry points throw InputError carrying all of them; the CLI prints them and exits 2, the
// wasm facade turns them into data, the JS layer into a BackstopError.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace backstop {

enum class ErrorCode { InvalidInput, LimitExceeded, Cancelled, Internal };

const char* toString(ErrorCode code);

struct FieldError {
  std::string pointer;  // JSON pointer of the offending field, "" for the whole document
  std::string message;  // says what is wrong and shows the bad value
  bool limit = false;   // a work limit was exceeded (code limit_exceeded), not a malformed value
};

class InputError : public std::runtime_error {
 public:
  InputError(ErrorCode code, std::vector<FieldError> errors);
  ErrorCode code() const { return code_; }
  const std::vector<FieldError>& errors() const { return errors_; }

 private:
  ErrorCode code_;
  std::vector<FieldError> errors_;
};

// Collects problems while a document is checked, so the user sees all of them at once.
class Issues {
 public:
  void add(std::string pointer, std::string message);
  void limit(std::string pointer, std::string message);  // a work limit was exceeded
  bool empty() const { return errors_.empty(); }
  void add(const FieldError& e);  // keeps its limit flag
  const std::vector<FieldError>& errors() const { return errors_; }
  void throwIfAny() const;

 private:
  std::vector<FieldError> errors_;
  bool limitExceeded_ = false;
};

// Prints a number the way the user wrote it (shortest round-trip form), "NaN", "Infinity".
std::string formatValue(double v);

}  // namespace backstop
