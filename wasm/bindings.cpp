// Thin Embind facade: no logic of its own. runJson never throws, so no C++ exception ever
// crosses into JS (TOOLCHAIN.md pitfall 5).
#include <emscripten/bind.h>

#include "backstop/api.hpp"

namespace {
std::string call(const std::string& command, const std::string& input, const std::string& options) {
  return backstop::runJson(command, input, options);
}
std::string versionString() { return backstop::version(); }
}  // namespace

EMSCRIPTEN_BINDINGS(backstop) {
  emscripten::function("call", &call);
  emscripten::function("version", &versionString);
}
