// Quantity per entry-price cell on a log-price grid for one (side, leverage) cohort family.
// Turnover is applied lazily by a global factor; a bitset finds the next occupied cell, so
// each step is O(1) amortised (docs/model.md (the fund process) implementation hint).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace backstop::detail {

class CohortGrid {
 public:
  void clear() {
    if (count_ > 0) {  // only the occupied span is dirty
      const size_t a = size_t(lo_ - base_), b = size_t(hi_ - base_);
      std::fill(q_.begin() + long(a), q_.begin() + long(b) + 1, 0.0);
      std::fill(bits_.begin() + long(a >> 6), bits_.begin() + long(b >> 6) + 1, 0);
    }
    scale_ = 1.0;
    stored_ = 0.0;
    count_ = 0;
  }
  double total() const { return stored_ * scale_; }
  bool empty() const { return count_ == 0; }

  void add(int cell, double qty) {
    ensure(cell);
    const size_t i = size_t(cell - base_);
    if (q_[i] == 0.0 && !(bits_[i >> 6] >> (i & 63) & 1)) {
      bits_[i >> 6] |= (1ULL << (i & 63));
      if (count_++ == 0) lo_ = hi_ = cell;
      lo_ = std::min(lo_, cell);
      hi_ = std::max(hi_, cell);
    }
    const double s = qty / scale_;
    q_[i] += s;
    stored_ += s;
  }

  // Removes and returns the quantity in `cell`.
  double take(int cell) {
    const size_t i = size_t(cell - base_);
    const double qty = q_[i] * scale_;
    stored_ -= q_[i];
    q_[i] = 0.0;
    bits_[i >> 6] &= ~(1ULL << (i & 63));
    if (--count_ == 0) {
      stored_ = 0.0;  // no drift from rounding
    } else {
      if (cell == hi_) hi_ = scanDown(i);
      if (cell == lo_) lo_ = scanUp(i);
    }
    return qty;
  }

  // Fraction `keep` of every cell stays (turnover closes the rest at the mark).
  void decay(double keep) {
    scale_ *= keep;
    if (scale_ < 1e-150) renormalise();
  }

  // Highest / lowest occupied cell (require !empty()).
  int highest() const { return hi_; }
  int lowest() const { return lo_; }

 private:
  void ensure(int cell) {
    if (q_.empty()) {
      base_ = cell - 2048;
      q_.assign(4096, 0.0);
      bits_.assign(64, 0);
    }
    while (cell < base_ || cell >= base_ + int(q_.size())) {
      // Grow by doubling around the old range, keeping the base a multiple of 64 cells apart.
      const int n = int(q_.size());
      std::vector<double> q(size_t(n) * 2, 0.0);
      std::vector<std::uint64_t> bits(size_t(n) * 2 / 64, 0);
      const int shift = cell < base_ ? n : 0;
      // Move every occupied cell by its bit: a cell can hold 0.0 (a zero add, or underflow in
      // renormalise) and dropping it broke count_/lo_/hi_ (a heap overflow in scanUp, found
      // by the random-scenario sweep).
      for (int i = 0; i < n; ++i)
        if (bits_[size_t(i) >> 6] >> (size_t(i) & 63) & 1) {
          q[size_t(i + shift)] = q_[size_t(i)];
          bits[size_t(i + shift) >> 6] |= 1ULL << (size_t(i + shift) & 63);
        }
      base_ -= shift;
      q_.swap(q);
      bits_.swap(bits);
    }
  }
  // Next occupied cell below / above slot i (one exists: count_ > 0).
  int scanDown(size_t i) const {
    size_t w = i >> 6;
    std::uint64_t m = bits_[w] & ((1ULL << (i & 63)) - 1);
    while (!m) m = bits_[--w];
    return base_ + int(w * 64 + 63 - size_t(__builtin_clzll(m)));
  }
  int scanUp(size_t i) const {
    size_t w = i >> 6;
    std::uint64_t m = (i & 63) == 63 ? 0 : bits_[w] & ~((2ULL << (i & 63)) - 1);
    while (!m) m = bits_[++w];
    return base_ + int(w * 64 + size_t(__builtin_ctzll(m)));
  }
  void renormalise() {
    for (double& v : q_) v *= scale_;
    stored_ *= scale_;
    scale_ = 1.0;
  }

  std::vector<double> q_;
  std::vector<std::uint64_t> bits_;
  int base_ = 0;
  double scale_ = 1.0;
  double stored_ = 0.0;
  long count_ = 0;
  int lo_ = 0, hi_ = 0;
};

}  // namespace backstop::detail
