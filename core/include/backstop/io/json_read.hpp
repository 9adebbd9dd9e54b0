// Typed, validating reads from a JSON object: every problem is recorded with its JSON
// pointer and the bad value, and reading goes on so the user sees all problems at once.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backstop/errors.hpp"

namespace backstop {

std::string jsonPointerEscape(const std::string& key);
std::string describeJson(const nlohmann::json& v);  // short rendering of a bad value

class Reader {
 public:
  Reader(const nlohmann::json* j, std::string pointer, Issues& issues);

  bool present(const char* key) const;  // exists and is not null
  const std::string& pointer() const { return ptr_; }
  std::string at(const char* key) const { return ptr_ + "/" + jsonPointerEscape(key); }
  const nlohmann::json* raw(const char* key) const;
  Issues& issues() const { return *issues_; }

  // A number; a missing key gives `fallback` or, without one, an error. Bad values read as NaN.
  double number(const char* key, std::optional<double> fallback = std::nullopt);
  std::optional<double> optionalNumber(const char* key);  // null or missing -> nullopt
  long long integer(const char* key, std::optional<long long> fallback, long long lo, long long hi);
  // Range checks that name the field and value; return v so calls can be chained.
  double positive(const char* key, std::optional<double> fallback = std::nullopt);
  double nonNegative(const char* key, std::optional<double> fallback = std::nullopt);
  double inRange(const char* key, std::optional<double> fallback, double lo, double hi,
                 bool loOpen, bool hiOpen);
  std::string choice(const char* key, std::optional<std::string> fallback,
                     std::initializer_list<const char*> allowed);
  std::string choice(const char* key, std::optional<std::string> fallback, const std::vector<const char*>& allowed);
  std::string string(const char* key, std::optional<std::string> fallback);
  bool boolean(const char* key, bool fallback);
  std::vector<double> numbers(const char* key, bool required, size_t maxCount);

  // Child object readers; an absent optional child reads as an empty object.
  Reader object(const char* key, bool required);
  bool isArray(const char* key) const;
  // Marks a key as read (for values parsed by hand, e.g. arrays of objects).
  void known(const char* key) { seen_.emplace_back(key); }

  // Flags keys other than the ones read so far (and comment keys: description, source,
  // notes, and names starting with '_' or '$').
  void rejectUnknown();

 private:
  const nlohmann::json* get(const char* key);
  const nlohmann::json* j_;
  std::string ptr_;
  Issues* issues_;
  std::vector<std::string> seen_;
};

}  // namespace backstop
