// Random streams: xoshiro256++ per path, seeded by SplitMix64 from (seed, path index), so a
// path's numbers do not depend on threads, workers or platform. Normals by Marsaglia's
// polar method (only log and sqrt: the same on native and wasm to the last ulp or so).
#pragma once

#include <cmath>
#include <cstdint>

namespace backstop {

inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Uniform in [0, 1) from a SplitMix64 state (used for rare, non-hot draws).
inline double nextUniform(std::uint64_t& state) {
  state = splitmix64(state);
  return double(state >> 11) * 0x1.0p-53;
}

class Rng {
 public:
  Rng(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t x = splitmix64(seed) ^ splitmix64(stream * 0xD1B54A32D192ED03ULL + 0x632BE59BD9B4E019ULL);
    for (auto& w : s_) w = x = splitmix64(x);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // (0, 1): never 0, so log(u) is finite.
  double uniform() { return (double(next() >> 11) + 0.5) * 0x1.0p-53; }

  double normal() {
    if (hasSpare_) {
      hasSpare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * f;
    hasSpare_ = true;
    return u * f;
  }

  // Gamma(shape, 1) by Marsaglia–Tsang (2000); shape < 1 via the u^(1/shape) boost.
  double gamma(double shape) {
    if (shape < 1.0) return gamma(shape + 1.0) * std::pow(uniform(), 1.0 / shape);
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
      double x, v;
      do {
        x = normal();
        v = 1.0 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const double u = uniform();
      if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
      if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
    }
  }

  // Poisson(mean) by inversion (means here are small: jumps per step).
  int poisson(double mean) {
    if (mean <= 0) return 0;
    return poissonBelow(std::exp(-mean));
  }
  // The same draw with l = exp(-mean) computed once by the caller (per step it was one exp).
  int poissonBelow(double l) {
    int k = 0;
    double p = uniform();
    while (p > l && k < 1000) {
      p *= uniform();
      ++k;
    }
    return k;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
  double spare_ = 0;
  bool hasSpare_ = false;
};

}  // namespace backstop
