// The importance-sampling mixture measured without seed luck (bench/README.md, issue 16).
//
//   is_replay dump SCENARIO.json N OUT [threads] [first]  N plain paths (original measure) from path
//                                                  `first` on; writes every depleting path's tallies to OUT
//   is_replay eval SCENARIO.json OUT SEEDS [paths] [top] [whole] [noscale]  the mixture chooseTilt
//                                                  picks at each seed (run of `paths`, default 20000),
//                                                  replayed on OUT; `whole`: the earlier tilt of the whole
//                                                  path; `noscale`: the earlier tilt of the jumps' mean alone
//
// For a plain depleting path the mixture's weight is w = 1 / Σ_k α_k L_k (exact, from the tallies), and
// E_q[w² 1_A] = E_p[w 1_A], so the second moment of one importance-sampling path is the plain mean of
// w 1_A. Relative variance per path: (Σ_A w / N) / p² − 1; variance reduction (1/p − 1) / that.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "backstop/io/api.hpp"
#include "backstop/io/scenario_reader.hpp"
#include "backstop/simulation/importance.hpp"
#include "backstop/simulation/simulation.hpp"

using namespace backstop;

namespace {

constexpr std::uint64_t kReplayStream = 1ULL << 61;  // apart from runs (0..) and pilots (2^62..)

Scenario load(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  ScenarioNeeds needs;
  needs.priceModel = true;
  return resolve(loadScenario(parseJsonText(ss.str()), needs));
}

void putTally(std::ostream& o, const TiltTally& t) {
  o << ' ' << t.zSum << ' ' << t.zCount << ' ' << t.jumps << ' ' << t.jumpSteps << ' ' << t.xiSum << ' ' << t.xi2Sum << ' '
    << t.blocks << ' ' << t.blockSum;
}

TiltTally getTally(std::istream& in) {
  TiltTally t;
  in >> t.zSum >> t.zCount >> t.jumps >> t.jumpSteps >> t.xiSum >> t.xi2Sum >> t.blocks >> t.blockSum;
  return t;
}

int dump(const std::string& scenario, long long n, const std::string& out, int threads, long long first) {
  const Scenario s = load(scenario);
  const double u = currentFundBalance(s);
  // Two untilted components: the engine tallies the draws, the paths are the original measure's.
  Tilt zero;
  zero.stopAtDepletion = false;  // tally the whole path, and keep the tally at depletion too
  zero.components.resize(2);
  for (auto& c : zero.components) {
    c.share = 0.5;
    c.markets.assign(s.markets.size(), ProcessTilt{});
  }
  std::ofstream o(out);
  o.precision(17);
  long long events = 0;
  constexpr long long kChunk = 20000;
  std::vector<std::string> lines;
  for (long long k0 = first; k0 < first + n; k0 += kChunk) {
    const long long m = std::min(kChunk, first + n - k0);
    const PilotRecords r = simulatePilot(s, zero, kReplayStream + std::uint64_t(k0), m, threads);
    for (long long i = 0; i < m; ++i) {
      if (!(r.maxOutflow[size_t(i)] > u)) continue;
      ++events;
      std::ostringstream l;
      l.precision(17);
      l << (k0 + i) << ' ' << r.maxOutflow[size_t(i)] << ' ' << r.depletionDay[size_t(i)] << ' ' << r.logReturn[size_t(i)]
        << ' ' << r.lowest[size_t(i)] << ' ' << r.highest[size_t(i)] << ' ' << r.logReturnAtDepletion[size_t(i)];
      for (const PathTally* p : {&r.tallies[size_t(i)], &r.talliesAtDepletion[size_t(i)]}) {
        putTally(l, p->common);
        for (const auto& t : p->markets) putTally(l, t);
      }
      lines.push_back(l.str());
    }
    std::fprintf(stderr, "%lld paths, %lld depleting\n", k0 + m - first, events);
  }
  o << n << ' ' << s.markets.size() << ' ' << u << " xi2\n";  // the format: tallies with the jumps' Σξ²
  for (const auto& l : lines) o << l << '\n';
  return 0;
}

struct Record {
  long long index = 0;
  double maxOutflow = 0, depletionDay = 0, logReturn = 0, lowest = 0, highest = 0, logReturnAtDepletion = 0;
  PathTally tally, tallyAtDepletion;  // the whole path's draws; those up to depletion
};

int eval(const std::string& scenario, const std::string& in, int seedLo, int seedHi, long long paths, int top, bool whole,
         bool scale) {
  detail::setTiltStopsAtDepletion(!whole);
  detail::setJumpScaleTilt(scale);
  Scenario s = load(scenario);
  s.simulation.paths = paths;
  s.simulation.importanceSampling = ImportanceSampling::Auto;
  std::ifstream f(in);
  long long n = 0;
  size_t markets = 0;
  double u = 0;
  std::string format;
  f >> n >> markets >> u >> format;
  if (format != "xi2") {
    std::fprintf(stderr, "%s: an older dump without the jumps' sum of squares (dump again)\n", in.c_str());
    return 2;
  }
  std::vector<Record> recs;
  for (Record r; f >> r.index;) {
    f >> r.maxOutflow >> r.depletionDay >> r.logReturn >> r.lowest >> r.highest >> r.logReturnAtDepletion;
    for (PathTally* p : {&r.tally, &r.tallyAtDepletion}) {
      p->common = getTally(f);
      p->markets.clear();
      for (size_t j = 0; j < markets; ++j) p->markets.push_back(getTally(f));
    }
    recs.push_back(r);
  }
  const double p = double(recs.size()) / double(n);
  std::printf("plain: %lld paths, %zu depleting, p = %.4e (SE %.2e)\n", n, recs.size(), p, std::sqrt(p * (1 - p) / double(n)));
  const std::vector<double> rates = jumpRatesPerStep(s);
  const double commonRate = commonJumpRatePerStep(s);
  const PriceModel& m0 = s.markets[0].priceModel;
  const double sigmaStep = m0.dailyVolatility / std::sqrt(double(s.simulation.stepsPerDay));
  std::vector<double> relvars;
  for (int seed = seedLo; seed <= seedHi; ++seed) {
    s.simulation.seed = std::uint64_t(seed);
    const Tilt t = chooseTilt(s, 1);
    std::printf("\nseed %d: %zu components, %d levels, %lld pilot paths\n", seed, t.components.size(), t.levels, t.pilotPaths);
    for (size_t k = 0; k < t.components.size(); ++k) {
      const auto& c = t.components[k];
      const ProcessTilt& q = c.markets.empty() ? ProcessTilt{} : c.markets[0];
      std::printf("  component %zu: share %.3f  z %+.4f  log-intensity %+.2f  jump shift %+.2f  jump sd %.2f  common (%+.2f, %+.2f)\n",
                  k, c.share, q.z, q.jumpLogIntensity, q.jumpShift, std::exp(q.jumpLogScale), c.common.jumpLogIntensity,
                  c.common.jumpShift);
    }
    std::vector<double> w(recs.size());
    std::vector<size_t> best(recs.size());
    double sw = 0, sw2 = 0;
    for (size_t i = 0; i < recs.size(); ++i) {
      double mix = 0, top1 = -1;
      const PathTally& tally = t.stopAtDepletion ? recs[i].tallyAtDepletion : recs[i].tally;
      for (size_t k = 0; k < t.components.size(); ++k) {
        const double a = t.components[k].share * std::exp(logLikelihoodRatio(t.components[k], tally, rates, commonRate));
        mix += a;
        if (a > top1) top1 = a, best[i] = k;
      }
      w[i] = t.active() ? 1.0 / mix : 1.0;
      sw += w[i];
      sw2 += w[i] * w[i];
    }
    // Second moment m2 = E_p[w 1_A], estimated by Σ_A w / N with SE sqrt((Σ w² / N − m2²) / N).
    const double m2 = sw / double(n), m2se = std::sqrt(std::max(0.0, sw2 / double(n) - m2 * m2) / double(n));
    const double relvar = m2 / (p * p) - 1;
    relvars.push_back(relvar);
    std::printf("  relative variance per path %.1f (second moment %.3e ± %.1e), variance reduction %.2f\n", relvar, m2, m2se,
                (1 / p - 1) / relvar);
    const double run = double(paths);
    std::printf("  a %lld-path run: relative SE %.1f %% (±%.1f %% at 95 %%)\n", paths, 100 * std::sqrt(relvar / run),
                196 * std::sqrt(relvar / run));
    // How much of p the heavier paths carry, and how many of them a run draws (q = p / w per path).
    for (double cut : {0.25, 0.5, 1.0}) {
      double share = 0, drawn = 0;
      for (size_t i = 0; i < recs.size(); ++i)
        if (w[i] > cut) share += 1.0 / double(recs.size()), drawn += run / double(n) / w[i];
      std::printf("  paths with weight > %.2f: %.1f %% of p, a run draws %.2f of them\n", cut, 100 * share, drawn);
    }
    std::vector<size_t> order(recs.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return w[a] > w[b]; });
    std::printf("  %8s %6s %6s %8s %8s %8s %8s %7s %5s %4s %8s %s\n", "weight", "sgn Σz", "jump", "end", "at τ", "low", "high", "day",
                "jumps", "best", "share", "(Σz, Σξ)");
    for (int j = 0; j < top && j < int(order.size()); ++j) {
      const Record& r = recs[order[size_t(j)]];
      const TiltTally& a = (t.stopAtDepletion ? r.tallyAtDepletion : r.tally).markets[0];
      const double jump = m0.jumpMean * a.jumps + m0.jumpStdev * a.xiSum;
      std::printf("  %8.3f %6s %6s %+8.3f %+8.3f %+8.3f %+8.3f %7.2f %5.0f %4zu %8.4f (%+.1f, %+.1f) diffusion %+.3f jumps %+.3f\n",
                  w[order[size_t(j)]], a.zSum < 0 ? "-" : "+", jump < 0 ? "-" : "+", r.logReturn, r.logReturnAtDepletion, r.lowest, r.highest,
                  r.depletionDay, a.jumps, best[order[size_t(j)]], w[order[size_t(j)]] / sw, a.zSum, a.xiSum,
                  sigmaStep * a.zSum, jump);
    }
  }
  double mean = 0;
  for (double v : relvars) mean += v;
  mean /= double(relvars.size());
  std::printf("\nover %zu seeds: mean relative variance per path %.1f, variance reduction %.2f\n", relvars.size(), mean,
              (1 / p - 1) / mean);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> a(argv + 1, argv + argc);
  if (a.size() >= 4 && a[0] == "dump")
    return dump(a[1], std::stoll(a[2]), a[3], a.size() > 4 ? std::stoi(a[4]) : 1, a.size() > 5 ? std::stoll(a[5]) : 0);
  if (a.size() >= 4 && a[0] == "eval") {
    const std::string seeds = a[3];
    const size_t dash = seeds.find('-');
    const int lo = std::stoi(seeds.substr(0, dash)), hi = dash == std::string::npos ? lo : std::stoi(seeds.substr(dash + 1));
    const auto has = [&](const char* o) { return std::find(a.begin() + std::min<size_t>(6, a.size()), a.end(), o) != a.end(); };
    return eval(a[1], a[2], lo, hi, a.size() > 4 ? std::stoll(a[4]) : 20000, a.size() > 5 ? std::stoi(a[5]) : 12, has("whole"),
                !has("noscale"));
  }
  std::cerr << "usage: is_replay dump SCENARIO N OUT [threads] [first] | eval SCENARIO OUT SEEDLO-SEEDHI [paths] [top] [whole] "
               "[noscale]\n";
  return 2;
}
