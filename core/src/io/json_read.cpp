#include "backstop/io/json_read.hpp"

#include <algorithm>
#include <cmath>

namespace backstop {

namespace {
const nlohmann::json& emptyObject() {
  static const nlohmann::json e = nlohmann::json::object();
  return e;
}
}  // namespace

std::string jsonPointerEscape(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string describeJson(const nlohmann::json& v) {
  std::string s = v.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

Reader::Reader(const nlohmann::json* j, std::string pointer, Issues& issues)
    : j_(j && j->is_object() ? j : &emptyObject()), ptr_(std::move(pointer)), issues_(&issues) {}

const nlohmann::json* Reader::get(const char* key) {
  seen_.emplace_back(key);
  auto it = j_->find(key);
  if (it == j_->end() || it->is_null()) return nullptr;
  return &*it;
}

const nlohmann::json* Reader::raw(const char* key) const {
  auto it = j_->find(key);
  if (it == j_->end() || it->is_null()) return nullptr;
  return &*it;
}

bool Reader::present(const char* key) const { return raw(key) != nullptr; }

bool Reader::isArray(const char* key) const {
  auto v = raw(key);
  return v && v->is_array();
}

double Reader::number(const char* key, std::optional<double> fallback) {
  const nlohmann::json* v = get(key);
  if (!v) {
    if (fallback) return *fallback;
    issues_->add(at(key), "is required (a number)");
    return NAN;
  }
  if (!v->is_number()) {
    issues_->add(at(key), "must be a number, got " + describeJson(*v));
    return NAN;
  }
  const double d = v->get<double>();
  if (!std::isfinite(d)) {
    issues_->add(at(key), "must be finite, got " + formatValue(d));
    return NAN;
  }
  return d;
}

std::optional<double> Reader::optionalNumber(const char* key) {
  if (!raw(key)) {
    seen_.emplace_back(key);
    return std::nullopt;
  }
  const double d = number(key);
  if (std::isnan(d)) return std::nullopt;
  return d;
}

long long Reader::integer(const char* key, std::optional<long long> fallback, long long lo,
                          long long hi) {
  const nlohmann::json* v = get(key);
  if (!v) {
    if (fallback) return *fallback;
    issues_->add(at(key), "is required (an integer)");
    return lo;
  }
  const bool integral = v->is_number_integer() ||
                        (v->is_number_float() && std::isfinite(v->get<double>()) &&
                         std::floor(v->get<double>()) == v->get<double>() &&
                         std::fabs(v->get<double>()) < 9.0e18);
  if (!integral) {
    issues_->add(at(key), "must be an integer, got " + describeJson(*v));
    return fallback.value_or(lo);
  }
  const double d = v->get<double>();
  if (d < double(lo) || d > double(hi)) {
    issues_->add(at(key), "must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                              ", got " + describeJson(*v));
    return fallback.value_or(lo);
  }
  return v->is_number_unsigned() ? (long long)v->get<unsigned long long>() : v->get<long long>();
}

double Reader::positive(const char* key, std::optional<double> fallback) {
  const double d = number(key, fallback);
  if (!std::isnan(d) && !(d > 0)) {
    issues_->add(at(key), "must be > 0, got " + formatValue(d));
    return NAN;
  }
  return d;
}

double Reader::nonNegative(const char* key, std::optional<double> fallback) {
  const double d = number(key, fallback);
  if (!std::isnan(d) && d < 0) {
    issues_->add(at(key), "must be >= 0, got " + formatValue(d));
    return NAN;
  }
  return d;
}

double Reader::inRange(const char* key, std::optional<double> fallback, double lo, double hi,
                       bool loOpen, bool hiOpen) {
  const double d = number(key, fallback);
  if (std::isnan(d)) return d;
  const bool okLo = loOpen ? d > lo : d >= lo;
  const bool okHi = hiOpen ? d < hi : d <= hi;
  if (!okLo || !okHi) {
    issues_->add(at(key), std::string("must be in ") + (loOpen ? "(" : "[") + formatValue(lo) +
                              ", " + formatValue(hi) + (hiOpen ? ")" : "]") + ", got " +
                              formatValue(d));
    return NAN;
  }
  return d;
}

std::string Reader::string(const char* key, std::optional<std::string> fallback) {
  const nlohmann::json* v = get(key);
  if (!v) {
    if (fallback) return *fallback;
    issues_->add(at(key), "is required (a string)");
    return {};
  }
  if (!v->is_string()) {
    issues_->add(at(key), "must be a string, got " + describeJson(*v));
    return fallback.value_or("");
  }
  return v->get<std::string>();
}

std::string Reader::choice(const char* key, std::optional<std::string> fallback,
                           std::initializer_list<const char*> allowed) {
  return choice(key, std::move(fallback), std::vector<const char*>(allowed));
}

std::string Reader::choice(const char* key, std::optional<std::string> fallback,
                           const std::vector<const char*>& allowed) {
  const std::string s = string(key, fallback);
  for (const char* a : allowed)
    if (s == a) return s;
  if (!present(key) && !fallback) return s;  // already reported as missing
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  issues_->add(at(key), "must be one of " + list + ", got \"" + s.substr(0, 40) + "\"");
  return fallback.value_or("");
}

bool Reader::boolean(const char* key, bool fallback) {
  const nlohmann::json* v = get(key);
  if (!v) return fallback;
  if (!v->is_boolean()) {
    issues_->add(at(key), "must be true or false, got " + describeJson(*v));
    return fallback;
  }
  return v->get<bool>();
}

std::vector<double> Reader::numbers(const char* key, bool required, size_t maxCount) {
  std::vector<double> out;
  const nlohmann::json* v = get(key);
  if (!v) {
    if (required) issues_->add(at(key), "is required (an array of numbers)");
    return out;
  }
  if (!v->is_array()) {
    issues_->add(at(key), "must be an array of numbers, got " + describeJson(*v));
    return out;
  }
  if (v->size() > maxCount) {
    issues_->limit(at(key), "has " + std::to_string(v->size()) + " entries, more than the limit of " +
                                std::to_string(maxCount));
    return out;
  }
  out.reserve(v->size());
  for (size_t i = 0; i < v->size(); ++i) {
    const auto& e = (*v)[i];
    if (!e.is_number() || !std::isfinite(e.get<double>())) {
      issues_->add(at(key) + "/" + std::to_string(i), "must be a finite number, got " + describeJson(e));
      out.push_back(NAN);
    } else {
      out.push_back(e.get<double>());
    }
  }
  return out;
}

Reader Reader::object(const char* key, bool required) {
  const nlohmann::json* v = get(key);
  if (!v) {
    if (required) issues_->add(at(key), "is required (an object)");
    return Reader(nullptr, at(key), *issues_);
  }
  if (!v->is_object()) {
    issues_->add(at(key), "must be an object, got " + describeJson(*v));
    return Reader(nullptr, at(key), *issues_);
  }
  return Reader(v, at(key), *issues_);
}

void Reader::rejectUnknown() {
  for (auto it = j_->begin(); it != j_->end(); ++it) {
    const std::string& k = it.key();
    if (k == "description" || k == "source" || k == "notes" || k.empty() || k[0] == '_' || k[0] == '$')
      continue;
    if (std::find(seen_.begin(), seen_.end(), k) == seen_.end())
      issues_->add(ptr_ + "/" + jsonPointerEscape(k), "is not a known field");
  }
}

}  // namespace backstop
