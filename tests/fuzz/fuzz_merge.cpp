// libFuzzer entry point for partial results (`merge`): BACKSTOP_FUZZ_TARGET=merge scripts/fuzz.
#include "fuzz_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return backstop::fuzz::runOnePartial(data, size);
}
