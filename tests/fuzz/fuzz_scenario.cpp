// libFuzzer entry point: scripts/fuzz builds and runs it (clang, ASan + UBSan).
#include "fuzz_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return backstop::fuzz::runOne(data, size);
}
