#include "backstop/io/api.hpp"

#include <cmath>

#include "backstop/io/commands.hpp"
#include "backstop/io/json_read.hpp"
#include "backstop/model/names.hpp"

namespace backstop {

const char* version() { return BACKSTOP_VERSION; }

// Out of line on purpose: one copy of the loop, however many writers call it.
[[gnu::noinline]] Json jsonObject(std::initializer_list<JsonField> fields) {
  Json out = Json::object();
  for (const JsonField& f : fields)
    out.emplace(std::string(f.key),
                std::move(f.value));  // emplace: the first of a repeated key wins
  return out;
}

namespace {
constexpr size_t kMaxInputBytes = 16u << 20;  // 16 MiB of JSON text
constexpr int kMaxDepth = 64;

// Rejects deep nesting before nlohmann's recursive parser sees it.
void checkDepth(const std::string& text) {
  int depth = 0;
  bool inString = false, escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') inString = false;
      continue;
    }
    if (c == '"') inString = true;
    else if (c == '{' || c == '[') {
      if (++depth > kMaxDepth)
        throw InputError(ErrorCode::LimitExceeded,
                         {{"", "JSON nesting deeper than " + std::to_string(kMaxDepth) +
                                   " levels at byte " + std::to_string(i)}});
    } else if (c == '}' || c == ']') --depth;
  }
}
}  // namespace

Json parseJsonText(const std::string& text) {
  if (text.size() > kMaxInputBytes)
    throw InputError(ErrorCode::LimitExceeded,
                     {{"", "input is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                               std::to_string(kMaxInputBytes)}});
  checkDepth(text);
  // Tracks the JSON pointer of the value being read, so a number beyond a double's range
  // (1e400, which nlohmann reports as out_of_range, not parse_error) names its field.
  struct Frame {
    bool array;
    std::string key;
    long long count;
  };
  std::vector<Frame> frames;
  auto elementStarts = [&frames] {
    if (!frames.empty() && frames.back().array) ++frames.back().count;
  };
  auto callback = [&](int, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start: elementStarts(); frames.push_back({false, {}, 0}); break;
      case Json::parse_event_t::array_start: elementStarts(); frames.push_back({true, {}, 0}); break;
      case Json::parse_event_t::key: frames.back().key = parsed.get<std::string>(); break;
      case Json::parse_event_t::value: elementStarts(); break;
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end: frames.pop_back(); break;
    }
    return true;
  };
  auto failedAt = [&frames] {
    std::string pointer;
    for (size_t i = 0; i < frames.size(); ++i) {
      const Frame& f = frames[i];
      // The innermost array has not counted the element that failed yet.
      const long long index = i + 1 == frames.size() ? f.count : f.count - 1;
      pointer += "/" + (f.array ? std::to_string(index) : jsonPointerEscape(f.key));
    }
    return pointer;
  };
  // The callback parser is ~10x slower: run it only to locate an error the plain parse found.
  try {
    return Json::parse(text);
  } catch (const Json::exception&) {
  }
  try {
    return Json::parse(text, callback);
  } catch (const Json::parse_error& e) {
    const std::string what = e.what();
    // NaN, Infinity, -Infinity written as literals (not JSON): name the field they were given for.
    const auto last = what.rfind("last read: '");
    const std::string token = last == std::string::npos ? "" : what.substr(last + 12, what.size() - last - 13);
    if (what.find("invalid literal") != std::string::npos || what.find("invalid number") != std::string::npos) {
      const char c = token.empty() ? '\0' : token.back();
      if (c == 'N' || c == 'n' || c == 'I' || c == 'i')
        throw InputError(ErrorCode::InvalidInput,
                         {{failedAt(), "is NaN or Infinity (not valid JSON at byte " + std::to_string(e.byte) +
                                           "): give a finite number"}});
    }
    const auto detail = what.find("parse error");
    throw InputError(ErrorCode::InvalidInput,
                     {{"", "not valid JSON (at byte " + std::to_string(e.byte) + ")" +
                               (detail == std::string::npos ? std::string() : ": " + what.substr(detail, 160))}});
  } catch (const Json::exception& e) {
    const std::string pointer = failedAt();
    const std::string what = e.what();
    const auto at = what.find("parsing '");
    const std::string token = at == std::string::npos ? std::string() : what.substr(at + 9, 40);
    throw InputError(ErrorCode::InvalidInput,
                     {{pointer, "is a number beyond the range of a double" +
                                    (token.empty() ? std::string() : ": " + token.substr(0, token.find('\''))) +
                                    " (the largest is about 1.8e308)"}});
  }
}

RunOptions parseRunOptions(const Json& options, Issues& issues) {
  RunOptions o;
  if (options.is_null()) return o;
  Reader r(&options, "/options", issues);
  if (!options.is_object()) {
    issues.add("/options", "must be an object, got " + describeJson(options));
    return o;
  }
  // Any whole count is well-formed; one over the paths limit is limit_exceeded, checked
  // (with the same message as the CLI's --paths) when the run starts.
  constexpr long long kMaxSafe = 9007199254740991LL;  // 2^53 - 1: exact in JS and in a double
  o.paths = r.integer("paths", 0, 0, kMaxSafe);
  o.seed = r.integer("seed", -1, -1, kMaxSafe);
  o.threads = int(r.integer("threads", 1, 1, 256));
  o.pathBegin = r.integer("path_begin", 0, 0, kMaxSafe);
  o.pathEnd = r.integer("path_end", -1, -1, kMaxSafe);
  if (r.present("importance")) o.importance = r.choice("importance", std::nullopt, idsOf<ImportanceSampling>());
  else r.known("importance");
  if (r.present("precision")) o.precision = r.inRange("precision", std::nullopt, 0, 1, true, false);
  else r.known("precision");
  r.rejectUnknown();
  return o;
}

Json dispatch(const std::string& command, const Json& input, const RunOptions& options) {
  return dispatch(command, input, options, commands());
}

Json dispatch(const std::string& command, const Json& input, const RunOptions& options,
              const std::vector<Command>& table) {
  for (const auto& c : table)
    if (command == c.name) return c.run(input, options);
  std::string names;
  for (const auto& c : table) names += (names.empty() ? "" : ", ") + std::string(c.name);
  throw InputError(ErrorCode::InvalidInput,
                   {{"", "unknown command \"" + command.substr(0, 40) + "\"; expected one of " + names}});
}

std::string runJson(const std::string& command, const std::string& input, const std::string& options) {
  return runJson(command, input, options, commands());
}

std::string runJson(const std::string& command, const std::string& input, const std::string& options,
                    const std::vector<Command>& table) {
  Json envelope;
  try {
    Json doc = parseJsonText(input);
    Issues issues;
    RunOptions o = parseRunOptions(options.empty() ? Json() : parseJsonText(options), issues);
    issues.throwIfAny();
    envelope = jsonObject({{"ok", true}, {"result", dispatch(command, doc, o, table)}});
  } catch (const InputError& e) {
    Json errs = Json::array();
    for (const auto& fe : e.errors())
      errs.push_back(jsonObject({{"pointer", fe.pointer}, {"message", fe.message}}));
    envelope = jsonObject(
        {{"ok", false}, {"code", toString(e.code())}, {"message", e.what()}, {"errors", errs}});
  } catch (const std::bad_alloc&) {
    envelope = jsonObject({{"ok", false},
                           {"code", "limit_exceeded"},
                           {"message", "out of memory"},
                           {"errors", Json::array()}});
  } catch (const std::exception& e) {
    envelope = jsonObject(
        {{"ok", false}, {"code", "internal"}, {"message", e.what()}, {"errors", Json::array()}});
  }
  // Non-finite numbers cannot travel as JSON; outputs use null where a value does not exist.
  return envelope.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace backstop
