#include "backstop/simulation/simulation.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <thread>

#include <boost/math/special_functions/erf.hpp>

#include "backstop/market/liquidation.hpp"
#include "backstop/market/price_model.hpp"
#include "backstop/market/random.hpp"
#include "backstop/waterfall/fund.hpp"
#include "simulation/market_engine.hpp"

namespace backstop {

namespace {

// Every per-path record of a batch in encoding order, with its number of values per path:
// the one list that allocation, append, encode and decode share. B is PathBatch or const.
template <class B>
auto columns(B& b) {
  using V = decltype(&b.maxOutflow);
  const size_t d = size_t(b.days), g = size_t(b.gridSize), m = size_t(b.markets);
  return std::vector<std::pair<V, size_t>>{
      {&b.maxOutflow, 1},    {&b.badDebt, 1},       {&b.liquidated, 1},       {&b.depletionDay, 1},
      {&b.cascadeRounds, 1}, {&b.fundByDay, d},     {&b.gridDepleted, g},     {&b.dailyBadDebt, d},
      {&b.adl, 1},           {&b.marketBadDebt, m}, {&b.marketLiquidated, m}, {&b.marketMaxOutflow, m},
      {&b.weight, 1},        {&b.component, 1}};
}

}  // namespace

void PathBatch::append(const PathBatch& o) {
  if (paths() == 0) {
    *this = o;
    return;
  }
  end = o.end;
  const auto mine = columns(*this);
  const auto theirs = columns(o);
  for (size_t c = 0; c < mine.size(); ++c)
    mine[c].first->insert(mine[c].first->end(), theirs[c].first->begin(), theirs[c].first->end());
}

int drawdownWindowSteps(const Scenario& s) {
  // A window longer than the run looks back to the start either way: clamping it is exact.
  const double w = std::lround(s.policy.drawdownWindowHours / 24.0 * s.simulation.stepsPerDay);
  return int(std::clamp<double>(w, 1.0, double(std::max<long long>(1, s.simulation.steps()))));
}

bool needsPolicyMode(const Scenario& s) {
  return s.fund.maxDrawFractionPerEvent.has_value() || s.policy.adlTrigger == AdlTriggerKind::Drawdown ||
         s.fund.floor > 0;
}

std::vector<double> policyFundGrid(const Scenario& s) {
  // 0, then 64 sizes log-spaced from 1/100 to 100 times the reference (the fund, or OI/100).
  const double ref = s.fund.balance > 0 ? s.fund.balance : std::max(1.0, s.markets.empty() ? 0.0 : s.markets[0].book.openInterest / 100.0);
  std::vector<double> g{0.0};
  for (int i = 0; i < 64; ++i) g.push_back(ref * std::pow(10.0, -2.0 + 4.0 * i / 63.0));
  return g;
}

namespace detail {
namespace {
std::atomic<bool> eventEngineOn{true};
}
void setEventEngine(bool on) { eventEngineOn.store(on); }
}  // namespace detail

namespace {

double standardNormalCdf(double x) { return 0.5 * boost::math::erfc(-x / std::sqrt(2.0)); }

// The markets of a path, their joint draws, and the fund(s) they draw on (docs/model.md (the fund process, several markets, one fund)).
class PathEngine {
 public:
  explicit PathEngine(const Scenario& s, const Tilt* tilt = nullptr)
      : s_(s), fundPolicy_(s.fund, s.policy), tilt_(tilt && !tilt->components.empty() ? tilt : nullptr) {
    jumpRates_ = jumpRatesPerStep(s);
    commonRate_ = commonJumpRatePerStep(s);
    for (const auto& m : s.markets) markets_.emplace_back(s, m);
    n_ = markets_.size();
    joint_ = n_ > 1 || s.commonJumps.active();
    draws_.resize(n_);
    e_.resize(n_);
    dt_ = 1.0 / s.simulation.stepsPerDay;
    perMarket_ = s.fund.scope == FundScope::PerMarket && n_ > 1;
    // Per-market funds as shares of the total: the curve scales all of them together.
    double total = 0;
    for (const auto& m : s.markets) total += perMarket_ ? m.balance : 0;
    double synthetic = 0;  // the weights' reference: synthetic open interest (as before explicit OI was counted)
    for (const auto& m : s.markets) synthetic += m.book.openInterest;
    for (const auto& m : s.markets) {
      double w = 1.0 / double(n_);
      if (total > 0) w = m.balance / total;
      else if (synthetic > 0) w = m.book.openInterest / synthetic;
      weights_.push_back(w);
    }
    u0_ = perMarket_ ? total : s.fund.balance;
    grid_ = needsPolicyMode(s) ? policyFundGrid(s) : std::vector<double>{};
    if (!grid_.empty()) grid_.push_back(u0_);  // the current fund, tracked under the same policy
    windowSteps_ = drawdownWindowSteps(s);
    // The joint warm-up lasts the longest one; market j starts stepping at warmStart_[j].
    std::vector<long long> own;
    for (const auto& m : s.markets) own.push_back(std::llround(m.book.warmupDays * s.simulation.stepsPerDay));
    warm_ = own.empty() ? 0 : *std::max_element(own.begin(), own.end());
    for (long long w : own) warmStart_.push_back(warm_ - w);
    // Stages after the fund that hold money: treasury and vault, in the policy's order.
    for (Stage st : s.policy.stages)
      if (st == Stage::Treasury || st == Stage::BackstopVault) afterFund_.push_back(st);
    if (std::find(afterFund_.begin(), afterFund_.end(), Stage::BackstopVault) == afterFund_.end())
      afterFund_.push_back(Stage::BackstopVault);
    // One market whose book does not renew, a plain fund: between liquidations only fees happen.
    events_ = detail::eventEngineOn.load() && n_ == 1 && !joint_ && grid_.empty() && s.fund.composition.empty() &&
              !tilt_ && markets_[0].eventDriven();
  }

  bool eventEngine() const { return events_; }

  // Simulates one path and writes its records at slot `k` of `out`.
  void run(long long pathIndex, PathBatch& out, long long k) { run(std::uint64_t(pathIndex), out, k); }

  // The path's likelihood ratio and, for the pilot, its tallies and market 0's log-return.
  double weight() const { return weight_; }
  const PathTally& tally() const { return tally_; }
  // The tally of the draws up to the step the fund was depleted (the whole path's if never).
  const PathTally& tallyAtDepletion() const { return depleted_ && tauTaken_ ? tauTally_ : tally_; }
  double logReturn0() const { return markets_.empty() ? 0.0 : markets_[0].logReturn(); }
  double logReturnAtDepletion0() const { return depleted_ && tauTaken_ ? tauReturn0_ : logReturn0(); }
  double logReturnAtPeakOutflow0() const { return peakReturn0_; }
  double lowest0() const { return lo0_; }
  double highest0() const { return hi0_; }

  void run(std::uint64_t stream, PathBatch& out, long long k) {
    Rng rng(s_.simulation.seed, stream);
    // The component comes from a stream of its own: component 0's paths are the plain ones.
    jt_ = tilt_ ? &tilt_->components[pickComponent(*tilt_, s_.simulation.seed, (long long)stream)] : nullptr;
    for (auto& m : markets_) m.reset(rng);
    // Warm-up: each book seasons on the model's path over its own last warmup_days (a book
    // without renewal has nothing to season: the event engine skips it).
    for (long long i = 0; i < (events_ ? 0 : warm_); ++i) {
      if (joint_) drawJoint(rng);
      for (size_t j = 0; j < n_; ++j)
        if (i >= warmStart_[j]) markets_[j].step(rng, joint_ ? &draws_[j] : nullptr);
    }
    for (auto& m : markets_) m.startAccounting();
    if (jt_) {
      for (size_t j = 0; j < n_; ++j) {
        ProcessTilt t = jt_->markets[j];
        if (joint_) t.z = 0;  // the joint normals are tilted in drawJoint, before the Cholesky factor
        markets_[j].setTilt(t);
      }
      jointZ_.assign(n_, TiltTally{});
      tally_.common = {};
      // The common jump factor's tilted law, set once per path (PriceProcess::setTilt does the same).
      commonRateTilted_ = commonRate_ * std::exp(jt_->common.jumpLogIntensity);
      commonJumpScale_ = std::exp(jt_->common.jumpLogScale);
      tilting_ = true;
      tauTaken_ = false;
      lo0_ = hi0_ = 0;
      peakM_ = peakReturn0_ = 0;
    }
    resetFunds();

    const int days = out.days;
    const long long steps = s_.simulation.steps();
    double total = 0, depletionDay = -1, adl = 0, tau = -1;
    double treasuryLeft = s_.fund.treasury.amount, vaultLeft = s_.fund.backstopVault;
    std::vector<double> mDebt(n_, 0.0);
    double* fundDays = &out.fundByDay[size_t(k) * size_t(days)];
    double* debtDays = &out.dailyBadDebt[size_t(k) * size_t(days)];
    std::fill(debtDays, debtDays + days, 0.0);
    const long long spd = s_.simulation.stepsPerDay;
    auto dayEnd = [&](long long i) { return (i + 1) % spd == 0 || i + 1 == steps; };
    // The fund's records and waterfall after the markets' step i.
    auto account = [&](long long i) {
      const double gPrev = g_;
      updateGrowth(rng);
      double debt = 0, inflow = 0;
      for (size_t j = 0; j < n_; ++j) {
        debt += markets_[j].debt();
        inflow += markets_[j].inflow();
        mDebt[j] += markets_[j].debt();
      }
      total += debt;
      double shortfall = flows();
      if (!grid_.empty()) shortfall = policyStep(i, debt, inflow, gPrev);
      const double t = double(i + 1) * dt_;
      if (depletionDay < 0 && depleted_) depletionDay = t;
      // What the fund did not cover goes to the treasury (once released) and the vault;
      // anything left reaches ADL or worse (docs/formulas.md (loss waterfall); docs/model.md (several markets, one fund)).
      if (shortfall > 1e-12 * std::max(1.0, debt)) {
        if (tau < 0) tau = t;
        double rem = shortfall;
        for (Stage st : afterFund_) {
          double& left = st == Stage::Treasury ? treasuryLeft : vaultLeft;
          if (st == Stage::Treasury && !fundPolicy_.treasuryReleased(t - tau)) continue;
          const double pay = std::min(rem, left);
          left -= pay;
          rem -= pay;
        }
        if (rem > 1e-12 * std::max(1.0, debt)) adl = 1;
      }
      const int day = std::min(days - 1, int(double(i) * dt_));
      debtDays[day] += debt;
      if (dayEnd(i)) fundDays[day] = fundValue();
    };
    if (events_) {
      // Steps [from, to) without a liquidation: the fee inflow alone (the walk of flows() in closed form).
      auto quiet = [&](long long from, long long to) {
        const double fee = markets_[0].fee();
        for (long long e = (from / spd + 1) * spd - 1; e < to; e += spd)
          fundDays[std::min(days - 1, int(double(e) * dt_))] = units_ + fee * double(e + 1 - from);
        if (steps % spd != 0 && from < steps && steps <= to) fundDays[days - 1] = units_ + fee * double(steps - from);
        const double in = fee * double(to - from);
        S_ -= in;
        mS_[0] -= in;
        units_ += in;
      };
      runEvents(rng, steps, account, quiet);
    } else {
      for (long long i = 0; i < steps; ++i) {
        if (joint_) drawJoint(rng);
        for (size_t j = 0; j < n_; ++j) markets_[j].step(rng, joint_ ? &draws_[j] : nullptr);
        if (jt_) {  // the pilot ranks paths by their excursion while none reaches the fund
          lo0_ = std::min(lo0_, markets_[0].logReturn());
          hi0_ = std::max(hi0_, markets_[0].logReturn());
        }
        account(i);
        if (jt_) {  // and tells which side an outflow came from by the move when M_T last rose
          const double m = headlineMax();
          if (m > peakM_) peakM_ = m, peakReturn0_ = markets_[0].logReturn();
        }
        // The tilt stops where the fund is depleted: its likelihood ratio stopped at that stopping
        // time is dP/dQ on the whole path (after it both measures draw alike; docs/model.md;
        // Siegmund, Ann. Statist. 4(4) 1976, tilting up to a stopping time).
        if (tilting_ && depleted_ && !tauTaken_) {
          tauTally_ = currentTally();
          tauTaken_ = true;
          tauReturn0_ = markets_[0].logReturn();
          if (tilt_->stopAtDepletion) {
            for (auto& m : markets_) m.endTilt();
            tilting_ = false;
          }
        }
      }
    }
    out.maxOutflow[size_t(k)] = headlineMax();
    out.badDebt[size_t(k)] = total;
    double liq = 0, casc = 0;
    for (auto& m : markets_) {
      liq += m.liquidated();
      casc += m.cascades();
    }
    out.liquidated[size_t(k)] = liq;
    out.depletionDay[size_t(k)] = depletionDay;
    out.cascadeRounds[size_t(k)] = casc;
    out.adl[size_t(k)] = adl;
    weight_ = 1;
    if (jt_) {
      tally_ = tauTaken_ && tilt_->stopAtDepletion ? tauTally_ : currentTally();
      tilting_ = false;
      // w = 1 / Σ_k α_k L_k, summed in logs (L_k can be far from 1 either way).
      double top = -INFINITY;
      logTerms_.resize(tilt_->components.size());
      for (size_t c = 0; c < logTerms_.size(); ++c) {
        const TiltComponent& tc = tilt_->components[c];
        logTerms_[c] = std::log(tc.share) + logLikelihoodRatio(tc, tally_, jumpRates_, commonRate_);
        top = std::max(top, logTerms_[c]);
      }
      double sum = 0;
      for (double l : logTerms_) sum += std::exp(l - top);
      weight_ = std::exp(-top) / sum;
      out.component[size_t(k)] = double(jt_ - tilt_->components.data());
    }
    out.weight[size_t(k)] = weight_;
    const size_t G = size_t(out.gridSize);
    for (size_t g = 0; g < G; ++g) out.gridDepleted[size_t(k) * G + g] = gDepleted_[g];
    if (out.markets > 1)
      for (size_t j = 0; j < n_; ++j) {
        out.marketBadDebt[size_t(k) * n_ + j] = mDebt[j];
        out.marketLiquidated[size_t(k) * n_ + j] = markets_[j].liquidated();
        out.marketMaxOutflow[size_t(k) * n_ + j] = mMax_[j];
      }
  }

 private:
  // The event engine (docs/model.md, the fund process): GBM or Merton on one market with explicit
  // positions only. The per-step model is sampled without visiting every step: a block's end
  // point is one normal (the jumps, by exponential inter-arrival times, cut the blocks), and the
  // exact one-sided crossing probability of the nearest level per side over a segment,
  // exp(-2·d_a·d_b/(n·v)) for a Brownian bridge (a segment's minimum under the per-step model
  // has the bridge's law: the steps' extremes are independent given their end points), decides
  // whether a level is reached; then Brownian-bridge midpoints, conditioned on the crossing by
  // rejection, find its first step. Where both sides are in reach, plain midpoints refine to
  // steps. A side whose crossing probability on a segment is below e^-kNeglect = 1e-12 is not tested there.
  static constexpr double kNeglect = 27.631021115928547;  // -ln 1e-12: crossing exponents beyond it are neglected
  struct Point {
    long long step;
    double x;
  };
  template <class Account, class Quiet>
  void runEvents(Rng& rng, long long steps, Account& account, Quiet& quiet) {
    MarketEngine& m = markets_[0];
    const PriceProcess& pp = m.process();
    const PriceModel& pm = s_.markets[0].priceModel;
    const double mu = pp.driftPerStep(), v = pp.variancePerStep(), lam = pp.jumpRatePerStep();
    double x = 0, nextJump = lam > 0 ? -std::log(rng.uniform()) / lam : INFINITY;  // in steps
    long long i = 0;
    pending_.clear();  // later points of the path already drawn, the nearest last
    // -ln P(the bridge from a to b over n steps reaches side sd's nearest level).
    auto cross = [&](int sd, double a, double b, long long n) {
      const double level = m.nearestLevel(sd);
      if (!std::isfinite(level)) return double(INFINITY);
      const double da = sd == 0 ? a - level : level - a, db = sd == 0 ? b - level : level - b;
      return da <= 0 || db <= 0 ? 0.0 : 2.0 * da * db / (double(n) * v);
    };
    // Brownian bridge from a to b: the point n1 steps in, n2 before the end.
    auto midpoint = [&](double a, double b, long long n1, long long n2) {
      const double n = double(n1 + n2);
      return a + (b - a) * double(n1) / n + std::sqrt(v * double(n1) * double(n2) / n) * rng.normal();
    };
    // Step k from x to xEnd (then the jumps) in the per-step engine; a cascade moves the rest of the path.
    auto leaf = [&](long long k, double xEnd, double uLo, double uHi, double jump) {
      m.setLogReturn(x);
      StepMove mv;
      mv.diffusion = xEnd - x;
      mv.variance = v;
      mv.jump = jump;
      m.apply(mv, uLo, uHi);
      const double moved = m.logReturn() - (xEnd + jump);
      if (moved != 0)
        for (auto& p : pending_) p.x += moved;
      x = m.logReturn();
      i = k + 1;
      account(k);
    };
    while (i < steps) {
      // The block up to the step of the next jump (drawn in full below) or the end.
      const long long end = nextJump < double(steps) ? (long long)nextJump : steps;
      if (end > i) pending_.push_back({end, x + mu * double(end - i) + std::sqrt(v * double(end - i)) * rng.normal()});
      while (!pending_.empty()) {
        const Point to = pending_.back();
        const long long n = to.step - i;
        const double tLo = cross(0, x, to.x, n), tHi = cross(1, x, to.x, n);
        if (tLo < kNeglect && tHi < kNeglect) {  // both sides in reach: the plain bridge, down to steps
          if (n == 1) {
            pending_.pop_back();
            const double uLo = rng.uniform();
            leaf(i, to.x, uLo, rng.uniform(), 0.0);
          } else {
            const long long mid = i + n / 2;
            pending_.push_back({mid, midpoint(x, to.x, mid - i, to.step - mid)});
          }
          continue;
        }
        pending_.pop_back();
        const int sd = tLo < tHi ? 0 : 1;
        const double t = std::min(tLo, tHi);
        // u < e^-t decides; e^-t <= 1/(1 + t) settles most segments without the exp.
        const double u = t < kNeglect ? rng.uniform() : 1.0;
        if (u * (1.0 + t) >= 1.0 || !(u < std::exp(-t))) {  // the segment stays short of the nearest level
          quiet(i, to.step);
          i = to.step;
          x = to.x;
          continue;
        }
        // It reaches the level: halve, the midpoint drawn given the crossing (accepted with the
        // probability q that a half crosses), the first half that crosses kept.
        long long a = i, b = to.step;
        double xa = x, xb = to.x, p = std::exp(-t);
        while (b - a > 1) {
          const long long mid = a + (b - a) / 2;
          double y, p1, p2, q;
          do {
            y = midpoint(xa, xb, mid - a, b - mid);
            p1 = std::exp(-cross(sd, xa, y, mid - a));
            p2 = std::exp(-cross(sd, y, xb, b - mid));
            q = 1.0 - (1.0 - p1) * (1.0 - p2);
          } while (!(rng.uniform() < q));
          if (rng.uniform() * q < p1) {
            pending_.push_back({b, xb});
            b = mid;
            xb = y;
            p = p1;
          } else {
            quiet(a, mid);
            a = mid;
            xa = y;
            p = p2;
          }
        }
        // Step a reaches it: that side's bridge uniform below p (the extreme reaches the level).
        i = a;
        x = xa;
        const double uSide = rng.uniform() * p, uOther = rng.uniform();
        leaf(a, xb, sd == 0 ? uSide : uOther, sd == 0 ? uOther : uSide, 0.0);
      }
      if (i < steps) {  // the jump step: every arrival in it, after its diffusion
        double jump = 0;
        while (nextJump < double(i + 1)) {
          jump += pm.jumpMean + pm.jumpStdev * rng.normal();
          nextJump -= std::log(rng.uniform()) / lam;
        }
        const double xEnd = x + mu + std::sqrt(v) * rng.normal();
        const double uLo = rng.uniform();
        leaf(i, xEnd, uLo, rng.uniform(), jump);
      }
    }
  }

  // The sufficient statistics of the tilted draws so far.
  PathTally currentTally() const {
    PathTally t;
    t.common = tally_.common;
    t.markets.resize(n_);
    for (size_t j = 0; j < n_; ++j) {
      t.markets[j] = markets_[j].tally();
      if (joint_) {
        t.markets[j].zSum = jointZ_[j].zSum;
        t.markets[j].zCount = jointZ_[j].zCount;
      }
    }
    return t;
  }

  // Correlated normals by the Cholesky factor; the bridge uniforms by a Gaussian copula with
  // the same factor (identical markets at correlation 1 see identical intra-step extremes).
  void drawJoint(Rng& rng) {
    const auto& L = s_.choleskyFactor;
    auto correlated = [&](auto set) {
      for (size_t j = 0; j < n_; ++j) e_[j] = rng.normal();
      if (tilting_ && !zTilted_)
        for (size_t j = 0; j < n_; ++j) {
          e_[j] += jt_->markets[j].z;
          jointZ_[j].zSum += e_[j];
          jointZ_[j].zCount += 1;
        }
      zTilted_ = true;  // only the diffusion shocks (the first set) are tilted
      for (size_t j = 0; j < n_; ++j) {
        double v = 0;
        for (size_t q = 0; q <= j; ++q) v += L[j][q] * e_[q];
        set(draws_[j], v);
      }
    };
    zTilted_ = false;
    correlated([](StepDraws& d, double v) { d.z = v; });
    correlated([](StepDraws& d, double v) { d.uLo = std::clamp(standardNormalCdf(v), 1e-300, 1.0); });
    correlated([](StepDraws& d, double v) { d.uHi = std::clamp(standardNormalCdf(v), 1e-300, 1.0); });
    double jump = 0;
    const auto& cj = s_.commonJumps;
    if (cj.active() && !tilting_) {
      const int k = rng.poisson(cj.intensityPerYear / 365.0 * dt_);
      for (int i = 0; i < k; ++i) jump += cj.mean + cj.stdev * rng.normal();
    } else if (cj.active()) {
      TiltTally& t = tally_.common;
      const int k = rng.poisson(commonRateTilted_);
      t.jumps += k;
      t.jumpSteps += 1;
      for (int i = 0; i < k; ++i) {
        jump += cj.mean + cj.stdev * drawTiltedJump(rng, commonJumpScale_, jt_->common.jumpShift, t);
      }
    }
    for (size_t j = 0; j < n_; ++j) draws_[j].jump = cj.active() ? cj.loadings[j] * jump : 0.0;
  }

  void resetFunds() {
    g_ = 1;
    tokenLog_.assign(s_.fund.composition.size(), 0.0);
    prevX_.assign(n_, 0.0);
    S_ = M_ = 0;
    units_ = u0_;
    mS_.assign(n_, 0.0);
    mMax_.assign(n_, 0.0);
    mUnits_.clear();
    for (size_t j = 0; j < n_; ++j) mUnits_.push_back(perMarket_ ? s_.markets[j].balance : 0.0);
    depleted_ = false;
    const size_t G = grid_.size();
    gf_ = grid_;
    gPaid_.assign(G, 0.0);
    gDepleted_.assign(G, 0.0);
    if (G && fundPolicy_.drawdownTrigger()) {
      // The window starts full of the initial fund: one entry, step -1, stands for all of it.
      const size_t cap = size_t(windowSteps_) + 1;
      qIdx_.assign(G * cap, 0);
      qVal_.assign(G * cap, 0.0);
      qHead_.assign(G, 0);
      qSize_.assign(G, 1);
      for (size_t g = 0; g < G; ++g) {
        qIdx_[g * cap] = -1;
        qVal_[g * cap] = grid_[g];
      }
    }
  }

  // The fund's growth index G_k (docs/model.md (several markets, one fund)): the value of one unit of its starting holdings.
  void updateGrowth(Rng& rng) {
    const auto& comp = s_.fund.composition;
    if (comp.empty()) return;
    double g = 0;
    for (size_t a = 0; a < comp.size(); ++a) {
      const FundHolding& h = comp[a];
      const MarketEngine& ref = markets_[size_t(h.market)];
      const double x = ref.logReturn();
      const bool inverse = ref.contract() == Contract::Inverse;  // money in coin
      double r = 1;
      if (h.asset == FundAsset::Quote) r = inverse ? std::exp(-x) : 1.0;
      else if (h.asset == FundAsset::Underlying) r = inverse ? 1.0 : std::exp(x);
      else {
        // Token: beta on the reference market's log-return plus its own shock (Itô-corrected).
        const double sd = h.dailyVolatility * std::sqrt(dt_);
        tokenLog_[a] += h.beta * (x - prevX_[size_t(h.market)]) + sd * rng.normal() - 0.5 * sd * sd;
        r = std::exp(tokenLog_[a] + (inverse ? -x : 0.0));
      }
      g += h.share * r;
    }
    for (size_t j = 0; j < n_; ++j) prevX_[j] = markets_[j].logReturn();
    g_ = g;
  }

  // Fund(s) at the current size: units of the holdings, outflows sold at G_k, so that
  // F_k = G_k·(u − Σ X_i/G_i). Returns the shortfall the fund(s) could not pay (quote).
  double flows() {
    double shortfall = 0;
    auto walk = [&](double x, double& units) {
      const double need = x / g_;
      if (need > units) shortfall += (need - units) * g_;
      units = std::max(0.0, units - need);
    };
    if (!perMarket_) {
      double x = 0;
      for (auto& m : markets_) x += m.debt() - m.inflow();
      S_ += x / g_;
      M_ = std::max(M_, S_);
      if (S_ > u0_) depleted_ = true;
      walk(x, units_);
    }
    for (size_t j = 0; j < n_; ++j) {
      const double x = markets_[j].debt() - markets_[j].inflow();
      mS_[j] += x / g_;
      mMax_[j] = std::max(mMax_[j], mS_[j]);
      if (perMarket_) {
        if (mS_[j] > s_.markets[j].balance) depleted_ = true;
        walk(x, mUnits_[j]);
      }
    }
    return shortfall;
  }

  // Per-market funds: depleted at total size U iff some market's M_j exceeds its share w_j·U.
  double headlineMax() const {
    if (!perMarket_) return M_;
    double z = 0;
    for (size_t j = 0; j < n_; ++j) z = std::max(z, weights_[j] > 0 ? mMax_[j] / weights_[j] : (mMax_[j] > 0 ? INFINITY : 0));
    return z;
  }

  double fundValue() const {
    if (!grid_.empty()) return gf_.back();
    if (!perMarket_) return units_ * g_;
    double v = 0;
    for (double u : mUnits_) v += u * g_;
    return v;
  }

  // The fund per size on the grid under the cap / floor / drawdown policy: depleted when a
  // step's bad debt is not covered in full. The last entry is the current fund; returns its
  // shortfall.
  double policyStep(long long i, double debt, double inflow, double gPrev) {
    const size_t G = grid_.size();
    const bool dd = fundPolicy_.drawdownTrigger();
    double shortfall = 0;
    for (size_t g = 0; g < G; ++g) {
      // Each step is one event for the fund policy (waterfall/fund.hpp).
      FundState f(gf_[g] * (g_ / gPrev) + inflow);
      f.paidTotal = gPaid_[g];
      if (dd) {
        // Peak of the fund over steps [i - window, i - 1]: a monotonic queue per size gives it
        // in O(1) amortised (a scan of the window made each step O(window)).
        const size_t qc = size_t(windowSteps_) + 1, base = g * qc;
        while (qSize_[g] && qIdx_[base + qHead_[g]] < i - windowSteps_) {
          qHead_[g] = (qHead_[g] + 1) % qc;
          --qSize_[g];
        }
        f.startEvent(qSize_[g] ? std::max(f.balance, qVal_[base + qHead_[g]]) : f.balance);
      }
      const double pay = std::min(debt, fundPolicy_.available(f));
      if (debt - pay > 1e-12 * std::max(1.0, debt)) gDepleted_[g] = 1.0;
      f.pay(pay);
      const double F = f.balance;
      gf_[g] = F;
      gPaid_[g] = f.paidTotal;
      if (dd) {
        const size_t qc = size_t(windowSteps_) + 1, base = g * qc;
        while (qSize_[g] && qVal_[base + (qHead_[g] + qSize_[g] - 1) % qc] <= F) --qSize_[g];
        const size_t at = base + (qHead_[g] + qSize_[g]) % qc;
        qIdx_[at] = i;
        qVal_[at] = F;
        ++qSize_[g];
      }
      if (g + 1 == G) shortfall = debt - pay;
    }
    depleted_ = gDepleted_.back() > 0;
    return shortfall;
  }

  const Scenario& s_;
  FundPolicy fundPolicy_;
  const Tilt* tilt_ = nullptr;        // active mixture, or null (plain)
  const TiltComponent* jt_ = nullptr; // this path's component
  bool tilting_ = false, zTilted_ = false;
  std::vector<double> jumpRates_, logTerms_;
  double commonRate_ = 0, commonRateTilted_ = 0, commonJumpScale_ = 1, weight_ = 1, lo0_ = 0, hi0_ = 0;
  std::vector<TiltTally> jointZ_;
  PathTally tally_, tauTally_;
  bool tauTaken_ = false;
  double tauReturn0_ = 0, peakM_ = 0, peakReturn0_ = 0;
  std::vector<MarketEngine> markets_;
  size_t n_ = 1;
  bool joint_ = false, perMarket_ = false, depleted_ = false, events_ = false;
  std::vector<Point> pending_;
  std::vector<StepDraws> draws_;
  std::vector<double> e_, weights_;
  double dt_ = 0, u0_ = 0, g_ = 1, S_ = 0, M_ = 0, units_ = 0;
  std::vector<double> tokenLog_, prevX_, mS_, mMax_, mUnits_;
  std::vector<double> grid_, gf_, gPaid_, gDepleted_;
  std::vector<long long> qIdx_;  // drawdown window: monotonic queue per fund size (ring of window + 1)
  std::vector<double> qVal_;
  std::vector<size_t> qHead_, qSize_;
  std::vector<Stage> afterFund_;
  long long warm_ = 0;
  std::vector<long long> warmStart_;
  int windowSteps_ = 1;
};

}  // namespace

bool detail::takesEventEngine(const Scenario& s) { return PathEngine(s).eventEngine(); }

PathBatch simulatePaths(const Scenario& s, long long begin, long long end, int threads,
                        const std::function<void(double)>& progress, const std::atomic<bool>* cancel,
                        const Tilt* tilt) {
  if (s.markets.empty())
    throw InputError(ErrorCode::InvalidInput, {{"/markets", "is empty: nothing to simulate (give a market, a book and a price model)"}});
  if (s.markets.size() > 1 && s.choleskyFactor.size() != s.markets.size())
    throw InputError(ErrorCode::InvalidInput, {{"/correlation", "has no Cholesky factor for " + std::to_string(s.markets.size()) +
                                                                    " markets: pass the scenario through resolve()"}});
  PathBatch b;
  b.begin = begin;
  b.end = end;
  b.days = std::max(1, int(std::ceil(s.simulation.horizonDays - 1e-9)));
  b.gridSize = needsPolicyMode(s) ? int(policyFundGrid(s).size()) : 0;
  b.markets = s.markets.size() > 1 ? int(s.markets.size()) : 0;
  const size_t n = size_t(end - begin);
  for (const auto& [values, perPath] : columns(b)) values->assign(n * perPath, 0.0);
  b.depletionDay.assign(n, -1);  // never depleted until a path says so
  b.weight.assign(n, 1.0);
  Tilt own;
  if (!tilt) {
    own = chooseTilt(s, threads);
    tilt = &own;
  }
  threads = std::max(1, std::min<int>(threads, int(std::max<size_t>(1, n / 64))));
  std::atomic<long long> nextPath{0}, done{0};
  std::atomic<bool> stop{false};
  // Paths are handed out in chunks; each path's stream depends only on its index, so the
  // split between threads never changes a result. The calling thread reports progress.
  auto work = [&](bool report) {
    PathEngine engine(s, tilt);
    for (;;) {
      const long long k0 = nextPath.fetch_add(16);
      if (k0 >= (long long)n || stop.load()) break;
      const long long k1 = std::min<long long>(k0 + 16, (long long)n);
      for (long long k = k0; k < k1; ++k) engine.run(begin + k, b, k);
      done.fetch_add(k1 - k0);
      if (report && progress) progress(double(done.load()) / double(n));
      if (cancel && cancel->load()) stop.store(true);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, false);
  work(true);
  for (auto& t : pool) t.join();
  // Paths never run are not survivors: a cancelled run has no result.
  if (stop.load()) throw InputError(ErrorCode::Cancelled, {{"", "cancelled"}});
  if (progress) progress(1.0);
  return b;
}

Scenario resolvedValid(const Scenario& in) {
  Scenario s = resolve(in);
  const std::vector<FieldError> errors = validate(s);
  if (!errors.empty()) {
    bool limit = false;
    for (const auto& e : errors) limit = limit || e.limit;
    throw InputError(limit ? ErrorCode::LimitExceeded : ErrorCode::InvalidInput, errors);
  }
  return s;
}

long long pathRangeEnd(const Scenario& s, const RunOptions& o) {
  const long long end = o.pathEnd < 0 ? s.simulation.paths : o.pathEnd;
  if (o.pathBegin >= end || end > s.simulation.paths)
    throw InputError(ErrorCode::InvalidInput, {{"/options/path_end", "path range [" + std::to_string(o.pathBegin) + ", " +
                                                                        std::to_string(end) + ") is empty or beyond " +
                                                                        std::to_string(s.simulation.paths) + " paths"}});
  return end;
}

PathBatch simulatePaths(const Scenario& in, const RunOptions& o) {
  const Scenario s = resolvedValid(in);
  return simulatePaths(s, o.pathBegin, pathRangeEnd(s, o), o.threads, o.progress, o.cancel);
}

PilotRecords simulatePilot(const Scenario& s, const Tilt& tilt, std::uint64_t streamBegin, long long n, int threads) {
  PilotRecords r;
  r.maxOutflow.assign(size_t(n), 0.0);
  r.weight.assign(size_t(n), 1.0);
  r.logReturn.assign(size_t(n), 0.0);
  r.lowest.assign(size_t(n), 0.0);
  r.highest.assign(size_t(n), 0.0);
  r.depletionDay.assign(size_t(n), -1.0);
  r.logReturnAtDepletion.assign(size_t(n), 0.0);
  r.logReturnAtPeakOutflow.assign(size_t(n), 0.0);
  r.talliesAtDepletion.assign(size_t(n), PathTally{});
  r.tallies.assign(size_t(n), PathTally{});
  PathBatch scratchShape;
  scratchShape.days = std::max(1, int(std::ceil(s.simulation.horizonDays - 1e-9)));
  scratchShape.gridSize = needsPolicyMode(s) ? int(policyFundGrid(s).size()) : 0;
  scratchShape.markets = s.markets.size() > 1 ? int(s.markets.size()) : 0;
  threads = std::max(1, std::min<int>(threads, int(std::max<long long>(1, n / 64))));
  std::atomic<long long> next{0};
  // The same path engine as the run; each pilot path writes slot 0 of a one-path scratch batch.
  auto work = [&] {
    PathEngine engine(s, &tilt);
    PathBatch one = scratchShape;
    for (const auto& [values, perPath] : columns(one)) values->assign(perPath, 0.0);
    for (;;) {
      const long long k = next.fetch_add(1);
      if (k >= n) break;
      engine.run(streamBegin + std::uint64_t(k), one, 0);
      r.maxOutflow[size_t(k)] = one.maxOutflow[0];
      r.weight[size_t(k)] = engine.weight();
      r.logReturn[size_t(k)] = engine.logReturn0();
      r.lowest[size_t(k)] = engine.lowest0();
      r.highest[size_t(k)] = engine.highest0();
      r.depletionDay[size_t(k)] = one.depletionDay[0];
      r.logReturnAtDepletion[size_t(k)] = engine.logReturnAtDepletion0();
      r.logReturnAtPeakOutflow[size_t(k)] = engine.logReturnAtPeakOutflow0();
      r.tallies[size_t(k)] = engine.tally();
      r.talliesAtDepletion[size_t(k)] = engine.tallyAtDepletion();
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return r;
}

std::vector<double> encodeBatch(const PathBatch& b) {
  std::vector<double> out{3.0, double(b.begin), double(b.end), double(b.days), double(b.gridSize), double(b.markets)};
  for (const auto& [values, perPath] : columns(b)) out.insert(out.end(), values->begin(), values->end());
  return out;
}

size_t encodedBatchLength(const double* d, size_t available) {
  auto bad = [] { throw InputError(ErrorCode::InvalidInput, {{"", "malformed path batch"}}); };
  // Header: version, begin, end, days, grid size, markets; then per path 8 + 2·days + grid + 3·markets.
  // Version 3 added the weight and component columns; a version-2 batch is refused.
  if (available < 6 || d[0] != 3.0) bad();
  const double paths = d[2] - d[1], days = d[3], grid = d[4], markets = d[5];
  if (!(paths >= 0 && days >= 1 && grid >= 0 && markets >= 0 && markets <= double(limits::kMaxMarkets))) bad();
  const double len = 6 + paths * (8 + 2 * days + grid + 3 * markets);
  if (!(len <= double(available))) bad();
  return size_t(len);
}

PathBatch decodeBatch(const double* d, size_t n) {
  if (encodedBatchLength(d, n) != n) throw InputError(ErrorCode::InvalidInput, {{"", "malformed path batch"}});
  PathBatch b;
  b.begin = (long long)d[1];
  b.end = (long long)d[2];
  b.days = int(d[3]);
  b.gridSize = int(d[4]);
  b.markets = int(d[5]);
  const size_t p = size_t(b.end - b.begin);
  size_t at = 6;
  for (const auto& [values, perPath] : columns(b)) {
    values->assign(d + at, d + at + p * perPath);
    at += p * perPath;
  }
  return b;
}

}  // namespace backstop
