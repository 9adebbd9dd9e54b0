// Runs split by paths across machines (docs/outputs.md, partial results): `simulate` and
// `sweep` write one shard's per-path records with what identifies the run; merging every
// shard's part gives exactly the unsplit run's result, since each path's random stream
// depends only on (seed, path index) and the summary is computed from the records.
#pragma once

#include <string>
#include <vector>

#include "backstop/io/api.hpp"

namespace backstop {

// Shard `index` of `count`, numbered from 0 (as a Kubernetes Indexed Job numbers its pods).
struct Shard {
  long long index = 0, count = 1;
};

// "i/n" as a Shard; throws InputError naming /options/shard (the CLI's --shard).
Shard parseShard(const std::string& text);

// The paths [first, second) of shard `s` of a run of `paths` paths: an even split.
std::pair<long long, long long> shardRange(const Shard& s, long long paths);

// The partial result of `command` ("simulate" or "sweep") on `input` (the document as given;
// options' paths/seed override it) for shard `shard`: the bytes of the file.
std::string writePartial(const std::string& command, const Json& input, const RunOptions& options, const Shard& shard);

struct PartialFile {
  std::string name;   // shown in errors (a file name, or "(stdin)")
  std::string bytes;
};

struct MergedRun {
  std::string command;  // "simulate" or "sweep"
  Json input;           // the document the run was given (for the Markdown writers)
  Json result;          // exactly what `command` returns on the whole run
};

// Checks that the parts are every shard of one run, each once, undamaged, and merges their
// records. Throws InputError naming the file and the field of every problem found.
MergedRun mergePartials(const std::vector<PartialFile>& parts);

}  // namespace backstop
