// Runs split by paths (docs/outputs.md, partial results): the merge of every shard's part is
// the unsplit run's output byte for byte, whatever the order of the parts; a merge of parts
// that are not exactly one run's shards is refused, naming the file and the field.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "backstop/io/api.hpp"
#include "backstop/io/partial.hpp"

using namespace backstop;

namespace {

Json golden(const std::string& name) {
  std::ifstream f(std::string(BACKSTOP_SOURCE_DIR) + "/tests/golden/" + name);
  return Json::parse(std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>()));
}

std::string dumped(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace); }

std::vector<PartialFile> shards(const std::string& command, const Json& doc, long long n, const RunOptions& o = {}) {
  std::vector<PartialFile> parts;
  for (long long i = 0; i < n; ++i)
    parts.push_back({"part-" + std::to_string(i), writePartial(command, doc, o, Shard{i, n})});
  return parts;
}

// The message of the InputError `f` throws, with its pointer in front.
std::string refusal(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    std::string all;
    for (const auto& fe : e.errors()) all += fe.pointer + ": " + fe.message + "\n";
    return all;
  }
  return "(accepted)";
}

// FNV-1a 64 written again here, to rewrite a part's checksum after editing its records.
std::string fnv(const std::string& bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  char buf[32];
  std::snprintf(buf, sizeof buf, "fnv1a64:%016llx", (unsigned long long)h);
  return buf;
}

struct Split {
  std::string magic, header, records;
};
Split split(const std::string& b) {
  const size_t a = b.find('\n'), c = b.find('\n', a + 1);
  return {b.substr(0, a + 1), b.substr(a + 1, c - a - 1), b.substr(c + 1)};
}

}  // namespace

TEST(Partial, FourShardsOfSimulateMergeToTheUnsplitOutput) {
  // 301 paths: the shards are uneven (75, 75, 75, 76).
  RunOptions o;
  o.paths = 301;
  for (const char* name : {"sim-merton-cascade.json", "sim-multi-market.json"}) {
    const Json doc = golden(name);
    const std::string whole = dumped(dispatch("simulate", doc, o));
    auto parts = shards("simulate", doc, 4, o);
    EXPECT_EQ(dumped(mergePartials(parts).result), whole) << name;
    std::swap(parts[0], parts[3]);  // any order
    std::swap(parts[1], parts[2]);
    const MergedRun m = mergePartials(parts);
    EXPECT_EQ(dumped(m.result), whole) << name;
    EXPECT_EQ(m.command, "simulate");
    EXPECT_EQ(m.input, doc);
  }
}

TEST(Partial, PolicyModeRecordsAndOneShardPerPathMerge) {
  // The cap per event runs the fund-size grid: its per-path flags travel in the records too.
  Json doc = golden("sim-gbm.json");
  doc["fund"]["max_draw_fraction_per_event"] = 0.5;
  RunOptions o;
  o.paths = 7;
  o.seed = 5;
  const std::string whole = dumped(dispatch("simulate", doc, o));
  EXPECT_EQ(dumped(mergePartials(shards("simulate", doc, 7, o)).result), whole);
  EXPECT_EQ(dumped(mergePartials(shards("simulate", doc, 1, o)).result), whole);
  EXPECT_NE(refusal([&] { writePartial("simulate", doc, o, Shard{0, 8}); }).find("8 shards for 7 paths"), std::string::npos);
}

TEST(Partial, ImportanceSampledShardsCarryTheirWeightsAndMergeToTheUnsplitOutput) {
  // Every shard computes the same mixture (a pure function of scenario and seed); the weights
  // travel in the records, so the weighted estimate is the unsplit run's.
  std::ifstream f(std::string(BACKSTOP_SOURCE_DIR) + "/bench/scenarios/tail-gbm-1e-4.json");
  const Json doc = Json::parse(std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>()));
  RunOptions o;
  o.paths = 600;
  o.importance = "auto";
  const Json whole = dispatch("simulate", doc, o);
  ASSERT_EQ(whole["depletion_probability"]["method"], "importance_sampling");
  EXPECT_EQ(dumped(mergePartials(shards("simulate", doc, 3, o)).result), dumped(whole));
  // A run to a precision picks its paths as it goes: it cannot be split.
  o.precision = 0.1;
  EXPECT_NE(refusal([&] { writePartial("simulate", doc, o, Shard{0, 2}); }).find("/simulation/target_relative_error: "),
            std::string::npos);
}

TEST(Partial, ShardsOfASweepMergeToTheSweepOutput) {
  Json doc = golden("sweep-penalty.json");
  RunOptions o;
  o.paths = 150;
  const std::string whole = dumped(dispatch("sweep", doc, o));
  const MergedRun m = mergePartials(shards("sweep", doc, 3, o));
  EXPECT_EQ(m.command, "sweep");
  EXPECT_EQ(dumped(m.result), whole);
}

TEST(Partial, ShardTextIsIndexSlashCountFromZero) {
  EXPECT_EQ(parseShard("0/4").index, 0);
  EXPECT_EQ(parseShard("3/4").count, 4);
  for (const char* bad : {"4/4", "3/2", "-1/4", "1/0", "1", "a/b", "1/4x", "/4", ""}) {
    const std::string why = refusal([&] { parseShard(bad); });
    EXPECT_EQ(why.rfind("/options/shard: ", 0), 0u) << bad << ": " << why;
  }
  // Even split: every path once, in order.
  long long next = 0;
  for (long long i = 0; i < 7; ++i) {
    const auto [b, e] = shardRange(Shard{i, 7}, 100);
    EXPECT_EQ(b, next);
    EXPECT_GE(e - b, 14);
    EXPECT_LE(e - b, 15);
    next = e;
  }
  EXPECT_EQ(next, 100);
}

TEST(Partial, MergeRefusesPartsThatAreNotOneRunsShardsNamingFileAndField) {
  const Json doc = golden("sim-gbm.json");
  RunOptions o;
  o.paths = 40;
  auto parts = shards("simulate", doc, 4, o);

  auto missing = parts;
  missing.erase(missing.begin() + 2);
  EXPECT_NE(refusal([&] { mergePartials(missing); }).find("/shard: 1 of 4 shards missing: 2 (paths 20 to 30)"), std::string::npos);

  auto twice = parts;
  twice[3] = {"again", parts[1].bytes};
  EXPECT_NE(refusal([&] { mergePartials(twice); }).find("again: /shard/index: shard 1/4 is given twice: also part-1"),
            std::string::npos);

  RunOptions other = o;
  other.seed = 12345;
  auto mixed = parts;
  mixed[2] = {"other-seed", writePartial("simulate", doc, other, Shard{2, 4})};
  EXPECT_NE(refusal([&] { mergePartials(mixed); }).find("other-seed: /seed: is 12345 but part-0 has"), std::string::npos);

  Json edited = doc;
  edited["fund"]["balance"] = 1.0;
  mixed[2] = {"other-fund", writePartial("simulate", edited, o, Shard{2, 4})};
  EXPECT_NE(refusal([&] { mergePartials(mixed); }).find("other-fund: /scenario_hash: is "), std::string::npos);

  auto split3 = parts;
  split3[2] = {"in-three", writePartial("simulate", doc, o, Shard{2, 3})};
  EXPECT_NE(refusal([&] { mergePartials(split3); }).find("in-three: /shard/count: is 3 but part-0 has 4"), std::string::npos);

  auto sweep = parts;
  Json sw = golden("sweep-penalty.json");
  sweep[1] = {"a-sweep", writePartial("sweep", sw, o, Shard{1, 4})};
  EXPECT_NE(refusal([&] { mergePartials(sweep); }).find("a-sweep: /command: is \"sweep\""), std::string::npos);
}

TEST(Partial, MergeRefusesDamagedOrEditedParts) {
  const Json doc = golden("sim-gbm.json");
  RunOptions o;
  o.paths = 20;
  const auto parts = shards("simulate", doc, 2, o);
  auto with = [&](const std::string& bytes) {
    auto p = parts;
    p[1] = {"edited", bytes};
    return refusal([&] { mergePartials(p); });
  };
  const std::string b = parts[1].bytes;
  const Split s = split(b);
  EXPECT_NE(with(b.substr(0, b.size() - 3)).find("edited: /records: is truncated: "), std::string::npos);
  EXPECT_NE(with(b.substr(0, 30)).find("edited: (file): is truncated"), std::string::npos);
  EXPECT_NE(with("{}").find("edited: (file): is not a backstop partial result"), std::string::npos);
  EXPECT_NE(with("backstop-partial 2\n{}\n").find("this backstop reads \"backstop-partial 1\""), std::string::npos);
  EXPECT_NE(with(s.magic + "{not json\n" + s.records).find("edited: (header): is not JSON"), std::string::npos);

  // A flipped byte in the records: the checksum.
  std::string flipped = b;
  flipped[flipped.size() - 5] ^= 0x10;
  EXPECT_NE(with(flipped).find("edited: /records/checksum: does not match"), std::string::npos);

  Json h = Json::parse(s.header);
  auto rewrite = [&](const Json& header, const std::string& records) {
    Json copy = header;
    copy["records"]["checksum"] = fnv(records);
    copy["records"]["values"] = records.size() / 8;
    return s.magic + copy.dump() + "\n" + records;
  };
  Json v = h;
  v["version"] = "0.0.1";
  EXPECT_NE(with(rewrite(v, s.records)).find("edited: /version: was written by backstop \"0.0.1\""), std::string::npos);
  Json idx = h;
  idx["shard"]["index"] = 3;
  EXPECT_NE(with(rewrite(idx, s.records)).find("edited: /shard/index: is 3 of 2 shards"), std::string::npos);
  Json scen = h;
  scen["scenario"]["fund"]["balance"] = 2;
  EXPECT_NE(with(rewrite(scen, s.records)).find("edited: /scenario_hash: does not match"), std::string::npos);
  Json gone = h;
  gone.erase("seed");
  EXPECT_NE(with(rewrite(gone, s.records)).find("edited: /seed: is missing"), std::string::npos);

  // NaN in a record, the checksum rewritten to match.
  std::string nan = s.records;
  const double q = std::nan("");
  std::memcpy(&nan[8 * 7], &q, 8);
  EXPECT_NE(with(rewrite(h, nan)).find("edited: /records: value 7 is NaN"), std::string::npos);
  // Records of another shape (values cut off the end): named as malformed or mis-shaped, never read past.
  EXPECT_NE(with(rewrite(h, s.records.substr(0, s.records.size() - 16))).find("edited: /records"), std::string::npos);
  // Every adl flag set to 5 (the columns' order is simulation.cpp's columns()): whether the
  // scenario reads P(ADL) from the flags or from the outflows, nothing outside [0, 1] is printed.
  std::string adl = s.records;
  auto at = [&](size_t k) {
    double x;
    std::memcpy(&x, &adl[8 * k], 8);
    return x;
  };
  const size_t n = size_t(at(2) - at(1)), days = size_t(at(3)), grid = size_t(at(4));
  const double five = 5;
  for (size_t k = 0; k < n; ++k) std::memcpy(&adl[8 * (6 + 5 * n + 2 * days * n + grid * n + k)], &five, 8);
  auto edited = parts;
  edited[1] = {"edited", rewrite(h, adl)};
  try {
    const Json r = mergePartials(edited).result;
    EXPECT_GE(r["adl_probability"].get<double>(), 0.0);
    EXPECT_LE(r["adl_probability"].get<double>(), 1.0);
  } catch (const InputError& e) {
    EXPECT_NE(e.errors().at(0).message.find("the merged records give a probability of 5"), std::string::npos);
  }
}
