// One fuzz input through parsing, validation and tiny bounded runs (tests/fuzz/README.md).
#pragma once

#include <cstddef>
#include <cstdint>

namespace backstop::fuzz {

// Aborts (a finding) on a crash, an escaped non-InputError exception, a non-finite number in
// an output, a probability outside [0, 1] or an error without a field message; else returns 0.
int runOne(const std::uint8_t* data, std::size_t size);

// One fuzz input as a price CSV through `calibrate` (every model): the same checks.
int runOneCsv(const std::uint8_t* data, std::size_t size);

// One fuzz input as a partial result through `merge` (docs/outputs.md, partial results): alone,
// beside a valid part of a tiny run, and again with its checksum, hash and version rewritten to
// match so the fuzzer reaches the records: the same checks.
int runOnePartial(const std::uint8_t* data, std::size_t size);

}  // namespace backstop::fuzz
