// libFuzzer entry point for price CSVs (`calibrate`): BACKSTOP_FUZZ_TARGET=calibrate scripts/fuzz.
#include "fuzz_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return backstop::fuzz::runOneCsv(data, size);
}
