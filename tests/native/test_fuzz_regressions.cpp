// Replays every input the fuzzer once crashed on (tests/fuzz/regressions) and the seed
// scenarios through the fuzz harness: any finding aborts the test binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../fuzz/fuzz_harness.hpp"

namespace fs = std::filesystem;

namespace {
std::vector<fs::path> filesIn(const fs::path& dir) {
  std::vector<fs::path> out;
  if (fs::is_directory(dir))
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && e.path().filename().string()[0] != '.') out.push_back(e.path());
  return out;
}

enum class As { Scenario, Csv, Partial };

int replay(const fs::path& file, As as = As::Scenario) {
  std::ifstream f(file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  if (as == As::Csv) return backstop::fuzz::runOneCsv(data, bytes.size());
  if (as == As::Partial) return backstop::fuzz::runOnePartial(data, bytes.size());
  return backstop::fuzz::runOne(data, bytes.size());
}
}  // namespace

TEST(FuzzRegressions, EveryKeptCrashInputNowPasses) {
  const auto files = filesIn(fs::path(BACKSTOP_SOURCE_DIR) / "tests/fuzz/regressions");
  ASSERT_GE(files.size(), 1u) << "tests/fuzz/regressions should hold the inputs of fixed findings";
  for (const auto& f : files) EXPECT_EQ(replay(f), 0) << f;
}

TEST(FuzzRegressions, SeedScenariosPass) {
  int n = 0;
  for (const char* dir : {"scenarios", "tests/golden", "tests/golden/bad"})
    for (const auto& f : filesIn(fs::path(BACKSTOP_SOURCE_DIR) / dir)) {
      EXPECT_EQ(replay(f), 0) << f;
      ++n;
    }
  EXPECT_GE(n, 20);
}

TEST(FuzzRegressions, PriceCsvSeedsAndKeptInputsPass) {
  int n = 0;
  for (const char* dir : {"tests/data", "tests/fuzz/regressions-csv"})
    for (const auto& f : filesIn(fs::path(BACKSTOP_SOURCE_DIR) / dir)) {
      EXPECT_EQ(replay(f, As::Csv), 0) << f;
      ++n;
    }
  EXPECT_GE(n, 2);
}

TEST(FuzzRegressions, PartialResultSeedsAndKeptInputsPass) {
  int n = 0;
  for (const char* dir : {"tests/fuzz/seeds-partial", "tests/fuzz/regressions-partial", "tests/golden"})
    for (const auto& f : filesIn(fs::path(BACKSTOP_SOURCE_DIR) / dir)) {
      EXPECT_EQ(replay(f, As::Partial), 0) << f;
      ++n;
    }
  EXPECT_GE(n, 20);
}
