#include "backstop/replay/replay.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "backstop/market/liquidation.hpp"
#include "backstop/stress/stress.hpp"
#include "backstop/venues/rules.hpp"
#include "stress/shock_run.hpp"

namespace backstop {

namespace {

double beyondFund(const WaterfallSplit& w) {
  return w.treasury + w.feePool + w.backstopVault + w.adl + w.socializedLoss + w.uncovered;
}

// A synthetic bucket: its side, leverage and target notional (quote units), as simulate restores it.
struct Bucket {
  Side side;
  double leverage;
  double target;
};

class Replayer {
 public:
  explicit Replayer(const Scenario& s)
      : s_(s), c_(s.market().contract), p0_(s.market().markPrice), price_(p0_), book_(initialBook(s)),
        wf_(s.market(), s.policy, s.fund, s.simulation.seed),
        floor_(venues::rules(s.policy.preset).fundFloor(s.fund.floor)) {
    for (const auto& b : s.book().leverage) {
      if (!s.book().synthetic() || b.share <= 0) continue;
      for (Side side : {Side::Long, Side::Short})
        buckets_[std::string("synthetic:") + toString(side) + ":" + formatValue(b.leverage) + "x"] =
            Bucket{side, b.leverage, s.book().openInterest * b.share};
    }
  }

  ReplayResult run(const PricePath& path) {
    ReplayResult out;
    out.fundBefore = wf_.fund();
    ReplayTotals& tot = out.totals;
    tot.fundMin = wf_.fund();
    double t = 0;
    for (size_t k = 0; k < path.points.size(); ++k) {
      const PathPoint& pt = path.points[k];
      ReplayStep st = step(pt, pt.tDays - t, k);
      t = pt.tDays;
      addLosses(tot, st);
      tot.feeInflow += st.feeInflow;
      tot.revaluation += st.revaluation;
      tot.fundMin = std::min(tot.fundMin, st.fundAfter);
      // Depleted: some bad debt went past the fund, or the fund is at its floor.
      const bool short_ = beyondFund(st.waterfall) > 0;
      if (short_ && !firstShortfall_) firstShortfall_ = st.tDays;
      if (!tot.depleted && (short_ || st.fundAfter <= floor_ + 1e-12 * std::max(1.0, out.fundBefore))) {
        tot.depleted = true;
        tot.depletedAtDays = st.tDays;
      }
      out.steps.push_back(st);
    }
    tot.fundAfter = wf_.fund();
    return out;
  }

 private:
  ReplayStep step(const PathPoint& pt, double dt, size_t k) {
    ReplayStep st;
    st.tDays = pt.tDays;
    st.price = pt.close;
    prev_ = price_;
    // Fee inflow of the interval, credited at its start so it can pay the interval's bad debt, as
    // simulate nets them per step (docs/formulas.md "Fund process"); in coin for inverse contracts.
    const double fee = s_.fund.feeShare * s_.market().takerFeeRate * s_.market().dailyVolume * dt;
    st.feeInflow = c_ == Contract::Linear ? fee : fee / pt.close;
    if (st.feeInflow > 0) wf_.creditFund(st.feeInflow);
    if (firstShortfall_ && pt.tDays - *firstShortfall_ >= s_.fund.treasury.delayDays - 1e-12) wf_.releaseTreasury();
    sold_ = bought_ = 0;
    if (pt.high) {
      wf_.startEvent();
      // Intra-interval order: a falling interval visits its high first, a rising one its low.
      const bool down = pt.close <= prev_;
      sweepTo(down ? *pt.high : *pt.low, st);
      sweepTo(down ? *pt.low : *pt.high, st);
      moveTo(pt.close, st);
    } else {
      // A gap to the close: the holdings move, the event starts, fills execute there (as stress).
      moveTo(pt.close, st);
      wf_.startEvent();
    }
    liquidateAt(pt.close, st);
    st.fundAfter = wf_.fund();
    st.vaultAfter = wf_.vault();
    st.treasuryAfter = wf_.treasury();
    renew(pt.close, dt, k);
    return st;
  }

  // The fund's holdings follow the price (fund.composition).
  void moveTo(double price, ReplayStep& st) {
    const bool inv = c_ == Contract::Inverse;
    const double factor = holdingsValue(s_.fund.composition, std::log(price / p0_), inv) /
                          holdingsValue(s_.fund.composition, std::log(price_ / p0_), inv);
    const double before = wf_.fund();
    wf_.revalueFund(factor);
    st.revaluation += wf_.fund() - before;
    price_ = price;
  }

  // Within an interval's range: every liquidation level between the price now and `extreme`,
  // in crossing order, each liquidated at its level (longs on the way down, shorts on the way up).
  void sweepTo(double extreme, ReplayStep& st) {
    const bool downward = extreme < price_;
    std::vector<double> levels;
    const Maintenance mm = maintenanceOf(s_.market(), s_.policy);
    for (const auto& e : book_) {
      if (!e.open || (e.position.side == Side::Long) != downward) continue;
      const auto liq = liquidationPrice(e.position, c_, mm, e.accounts);
      if (!liq) continue;
      if (downward ? *liq >= extreme : *liq <= extreme)
        levels.push_back(downward ? std::min(*liq, price_) : std::max(*liq, price_));
    }
    std::sort(levels.begin(), levels.end());
    levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
    if (downward) std::reverse(levels.begin(), levels.end());
    for (double level : levels) {
      moveTo(level, st);
      liquidateAt(level, st);
    }
    moveTo(extreme, st);
  }

  // The stress engine at reference price `reference` on the carried book and waterfall.
  void liquidateAt(double reference, ReplayStep& st) {
    ShockRun r(s_, reference / prev_ - 1.0, reference, std::move(book_), wf_, sold_, bought_);
    const StressEvent e = r.run();
    book_ = std::move(r.book_);
    wf_ = r.wf_;
    sold_ = r.sold_;
    bought_ = r.bought_;
    addLosses(st, e);
    for (const auto& p : e.positions) st.liquidations += p.liquidated ? 1 : 0;
  }

  // After the interval: turnover closes a fraction of every synthetic position at the close (its
  // equity goes back to the trader) and new positions at the close restore each bucket's open
  // interest, as simulate renews its cohorts (docs/formulas.md "Turnover and renewal").
  void renew(double price, double dt, size_t k) {
    const double keep = 1.0 - std::min(1.0, s_.book().turnoverPerDay * dt);
    std::map<std::string, double> have;
    for (auto& e : book_) {
      if (!e.open || !e.synthetic) continue;
      e.position.quantity *= keep;
      e.position.collateral *= keep;
      const std::string key = e.position.id.substr(0, e.position.id.find('#'));
      if (e.position.quantity <= 1e-12 * buckets_[key].target / (c_ == Contract::Linear ? price : 1.0)) {
        e.open = false;
        continue;
      }
      have[key] += notionalInQuote(e.position, c_, price);
    }
    book_.erase(std::remove_if(book_.begin(), book_.end(), [](const BookEntry& e) { return !e.open; }), book_.end());
    for (const auto& [key, b] : buckets_) {
      const double need = b.target - have[key];
      if (!(need > 1e-9 * b.target)) continue;
      Position p;
      p.id = key + "#" + std::to_string(k + 1);
      p.side = b.side;
      p.quantity = c_ == Contract::Linear ? need / price : need;
      p.entryPrice = price;
      p.collateral = notionalInMargin(p, c_, price) / b.leverage;
      book_.push_back({p, true, true});
    }
  }

  const Scenario& s_;
  Contract c_;
  double p0_, price_, prev_ = 0;
  std::vector<BookEntry> book_;
  Waterfall wf_;
  double floor_;
  double sold_ = 0, bought_ = 0;
  std::optional<double> firstShortfall_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace

ReplayResult runReplay(const Scenario& s, const PricePath& path) { return Replayer(s).run(path); }

}  // namespace backstop
