#include "backstop/stress/stress.hpp"

#include <algorithm>
#include <cmath>

#include "backstop/market/liquidation.hpp"
#include "backstop/venues/rules.hpp"
#include "stress/shock_run.hpp"

namespace backstop {

std::vector<BookEntry> initialBook(const Scenario& s) {
  std::vector<BookEntry> book;
  for (const auto& p : s.book().positions) book.push_back({p, true, false});
  if (s.book().synthetic()) {
    const double P = s.market().markPrice;
    for (Side side : {Side::Long, Side::Short}) {
      for (const auto& b : s.book().leverage) {
        if (b.share <= 0) continue;
        Position p;
        p.id = std::string("synthetic:") + toString(side) + ":" + formatValue(b.leverage) + "x";
        p.side = side;
        const double notionalQuote = s.book().openInterest * b.share;
        p.quantity = s.market().contract == Contract::Linear ? notionalQuote / P : notionalQuote;
        p.entryPrice = P;
        p.collateral = notionalInMargin(p, s.market().contract, P) / b.leverage;
        book.push_back({p, true, true, cohortAccounts(s.book(), notionalInMargin(p, s.market().contract, P))});
      }
    }
  }
  return book;
}

namespace {

bool crossed(const Position& p, Contract c, double mark, const Maintenance& mm, double accounts) {
  const auto liq = liquidationPrice(p, c, mm, accounts);
  if (!liq) return false;
  return p.side == Side::Long ? mark <= *liq : mark >= *liq;
}

// docs/formulas.md "Closing a position": the whole position as one market order; the penalty split; all_or_nothing cover.
void liquidateGeneric(ShockRun& r, size_t i) {
  const Scenario& s = r.s_;
  const Contract c = r.c_;
  Position& p = r.book_[i].position;
  PositionOutcome& o = r.outcome_[i];
  const double q = notionalInQuote(p, c, r.mark_);
  double& w = r.walked(p.side);
  w += q;
  r.ev_.liquidatedNotional += q;
  o.liquidatedQuantity += p.quantity;
  // Walking the book: this fill's impact counts everything liquidated before it in the event.
  const double x = executionPrice(p.side, r.p1_, impactFraction(s.market(), r.vol_, w));
  FillOutcome f = closeAt(p, c, x, s.policy);
  bool skipFund = false;
  if (f.badDebt > 0 && equity(p, c, r.mark_) < 0 && hasStage(s.policy, Stage::InsuranceFund)) {
    // all_or_nothing (docs/formulas.md "Waterfall stages"; dYdX v4 rejects such fills): a fill the
    // fund cannot cover entirely is rejected. Binance's takeover cap (venues/binance.cpp): the fund
    // takes over a position bankrupt at the mark only while its net notional stays within the cap.
    if (s.policy.fundCoverage == FundCoverage::AllOrNothing && r.wf_.fundAvailable() < f.badDebt) {
      skipFund = true;
    } else if (s.policy.fundTakeoverCap >= 0) {
      const double signedQ = p.side == Side::Long ? q : -q;
      if (std::fabs(r.takenOver_ + signedQ) > s.policy.fundTakeoverCap * std::max(0.0, r.wf_.fund())) skipFund = true;
      else r.takenOver_ += signedQ;
    }
  }
  if (skipFund) {
    // The whole position goes to the next stage at its bankruptcy price, so the debt is its
    // equity at the mark, not the impacted fill's, and the book is not walked.
    f = FillOutcome{};
    f.executionPrice = r.mark_;
    f.realisedEquity = equity(p, c, r.mark_);
    f.badDebt = -f.realisedEquity;
    w -= q;
    o.backstopped = true;
  }
  o.executionPrice = f.executionPrice;
  o.returned += f.returned;
  r.creditPenalty(o, f.penalty, f.penaltyToFund, s.policy.penaltyToVault * f.penalty);
  const Position closed = p;
  r.closeWhole(i);
  r.cover(o, f.badDebt, closed, skipFund);
}

}  // namespace

ShockRun::ShockRun(const Scenario& s, double shock)
    : s_(s), c_(s.market().contract), mmr_(s.market().maintenanceMarginRate), vol_(modelDailyVolatility(s.priceModel())),
      mm_(maintenanceOf(s.market(), s.policy)), book_(initialBook(s)), wf_(s.market(), s.policy, s.fund, s.simulation.seed) {
  // What the fund holds moves with the shock (fund.composition) before it pays anything.
  wf_.revalueFund(holdingsValue(s.fund.composition, std::log1p(shock), c_ == Contract::Inverse));
  wf_.startEvent();
  ev_.shock = shock;
  p1_ = s.market().markPrice * (1.0 + shock);
  mark_ = p1_;
  outcome_.resize(book_.size());
  for (size_t i = 0; i < book_.size(); ++i) outcome_[i].id = book_[i].position.id;
}

ShockRun::ShockRun(const Scenario& s, double shock, double reference, std::vector<BookEntry> book, const Waterfall& wf,
                   double sold, double bought)
    : s_(s), c_(s.market().contract), mmr_(s.market().maintenanceMarginRate), vol_(modelDailyVolatility(s.priceModel())),
      mm_(maintenanceOf(s.market(), s.policy)), book_(std::move(book)), wf_(wf) {
  ev_.shock = shock;
  p1_ = reference;
  mark_ = p1_;
  sold_ = sold;
  bought_ = bought;
  outcome_.resize(book_.size());
  for (size_t i = 0; i < book_.size(); ++i) outcome_[i].id = book_[i].position.id;
}

StressEvent ShockRun::run() {
  const venues::VenueRules& venue = venues::rules(s_.policy.preset);
  std::vector<char> done(book_.size(), 0);
  std::vector<double> triedAt(book_.size(), NAN);  // a partly liquidated position retries only at a new mark
  // Cascade: liquidate what the mark has crossed, in crossing order; permanent impact moves
  // the mark, which may cross more levels. Bounded by the number of positions.
  for (int round = 0; round < (int)book_.size() + 1; ++round) {
    std::vector<size_t> hit;
    for (size_t i = 0; i < book_.size(); ++i)
      if (!done[i] && book_[i].open && !(triedAt[i] == mark_) && crossed(book_[i].position, c_, mark_, mm_, book_[i].accounts))
        hit.push_back(i);
    if (hit.empty()) break;
    ev_.cascadeRounds = round + 1;
    // Crossing order: on the way down the highest long liquidation level first, on the way up the lowest short one.
    std::sort(hit.begin(), hit.end(), [&](size_t a, size_t b) {
      const Position& pa = book_[a].position;
      const Position& pb = book_[b].position;
      const double la = *liquidationPrice(pa, c_, mm_, book_[a].accounts);
      const double lb = *liquidationPrice(pb, c_, mm_, book_[b].accounts);
      if (pa.side != pb.side) return pa.side == (ev_.shock <= 0 ? Side::Long : Side::Short);
      if (la != lb) return pa.side == Side::Long ? la > lb : la < lb;
      return pa.id < pb.id;
    });
    for (size_t i : hit) {
      if (!book_[i].open) continue;  // deleveraged to zero by an earlier fill
      outcome_[i].liquidated = true;
      triedAt[i] = mark_;
      // The venue's own mechanics (venues/<venue>.cpp), else one market order.
      if (!(venue.liquidate && venue.liquidate(*this, i))) liquidateGeneric(*this, i);
      if (!book_[i].open) done[i] = 1;
    }
    // Permanent impact of everything liquidated so far moves the mark (docs/formulas.md "Permanent impact and cascades").
    const double perm = s_.market().liquidity.permanentImpact;
    mark_ = p1_ * (1.0 - perm * impactFraction(s_.market(), vol_, sold_)) *
            (1.0 + perm * impactFraction(s_.market(), vol_, bought_));
    if (perm <= 0) break;
  }
  if (venue.afterEvent) venue.afterEvent(*this);
  // GMX's pool PnL cap and ADL apply wherever a policy sets their factors (a custom policy may).
  else if (s_.policy.maxPnlFactor >= 0 || s_.policy.maxPnlFactorForAdl >= 0)
    venues::rules(Venue::GmxV2).afterEvent(*this);
  for (size_t i = 0; i < book_.size(); ++i)
    if (outcome_[i].liquidated && book_[i].open) outcome_[i].remainingQuantity = book_[i].position.quantity;
  ev_.markAfter = mark_;
  ev_.fundAfter = wf_.fund();
  ev_.vaultAfter = wf_.vault();
  ev_.feePoolAfter = wf_.feePool();
  ev_.treasuryAfter = wf_.treasury();
  ev_.positions = std::move(outcome_);
  if (!ev_.adlFills.empty()) {
    ev_.adlSummary = wf_.adlLedger().summary(s_.policy.adlRanking, book_, c_);
    ev_.adlComparison = wf_.adlLedger().compare(c_, mm_);
  }
  return std::move(ev_);
}

void ShockRun::sellToBook(size_t i, double quantity) {
  Position& p = book_[i].position;
  PositionOutcome& o = outcome_[i];
  const Position part = scaled(p, quantity, p.collateral * quantity / p.quantity);
  const double q = notionalInQuote(part, c_, mark_);
  double& w = walked(p.side);
  w += q;
  ev_.liquidatedNotional += q;
  o.liquidatedQuantity += quantity;
  o.executionPrice = executionPrice(p.side, p1_, impactFraction(s_.market(), vol_, w));
  p.collateral += unrealisedPnl(part, c_, o.executionPrice);
  p.quantity -= quantity;
}

void ShockRun::creditPenalty(PositionOutcome& o, double penalty, double toFund, double toVault) {
  o.penalty += penalty;
  if (toFund > 0) {
    wf_.creditFund(toFund);
    ev_.penaltiesToFund += toFund;
  }
  if (toVault > 0) {
    wf_.creditVault(toVault);
    ev_.penaltiesToVault += toVault;
  }
}

void ShockRun::cover(PositionOutcome& o, double debt, const Position& closed, bool skipFund, bool skipVault) {
  if (!(debt > 0)) return;
  o.badDebt += debt;
  ev_.badDebt += debt;
  ev_.waterfall += wf_.cover(debt, closed, mark_, book_, ev_.adlFills, skipFund, skipVault);
}

StressEvent runShock(const Scenario& s, double shock) {
  // The engine's own preconditions: a scenario built in code reaches it without the reader.
  Issues issues;
  const Market& m = s.market();
  if (!(std::isfinite(m.markPrice) && m.markPrice > 0))
    issues.add("/market/mark_price", "must be a finite number > 0, got " + formatValue(m.markPrice));
  if (!(m.maintenanceMarginRate > 0 && m.maintenanceMarginRate < 1))
    issues.add("/market/maintenance_margin_rate", "must be within (0, 1), got " + formatValue(m.maintenanceMarginRate));
  const std::string tiers = maintenanceTierProblem(m, s.policy);
  if (!tiers.empty()) issues.add("/market/maintenance_margin_rate", tiers);
  if (!(shock > -1 && shock <= 10)) issues.add("/stress/shocks", "must be a relative move in (-1, 10], got " + formatValue(shock));
  issues.throwIfAny();
  return ShockRun(s, shock).run();
}

std::vector<StressEvent> runStress(const Scenario& s) {
  std::vector<StressEvent> out;
  for (double shock : s.stress.shocks) out.push_back(runShock(s, shock));
  return out;
}

namespace {

// The single-market scenario of market j, drawing on `fund` and `vault` as they stand.
Scenario marketScenario(const Scenario& s, size_t j, double fund, double vault, double treasury) {
  Scenario one = s;
  const MarketSpec& m = s.markets[j];
  one.policy = m.policy;
  one.fund.balance = fund;
  one.fund.backstopVault = vault;
  one.fund.treasury.amount = treasury;
  one.markets = {m};
  one.multiMarket = false;
  one.fund.composition.clear();  // revalued once for all markets by the caller
  return one;
}

// A shock moves every market by the same relative amount; the markets' liquidations go
// through the waterfall in the order listed, one shared fund carried from market to market
// (or each market's own fund with scope per_market). docs/model.md (several markets).
StressEvent multiMarketEvent(const Scenario& s, double shock) {
  const bool perMarket = s.fund.scope == FundScope::PerMarket;
  // Every market moves by the same relative amount, so the holdings revalue once (fund.composition).
  const double g = holdingsValue(s.fund.composition, std::log1p(shock), s.markets[0].market.contract == Contract::Inverse);
  double fund = g * s.fund.balance, vault = s.fund.backstopVault, fundAfter = 0, treasury = s.fund.treasury.amount;
  StressEvent agg;
  agg.shock = shock;
  for (size_t j = 0; j < s.markets.size(); ++j) {
    StressEvent e = runShock(marketScenario(s, j, perMarket ? g * s.markets[j].balance : fund, vault, treasury), shock);
    const std::string prefix = s.markets[j].market.symbol.empty() ? "market-" + std::to_string(j) : s.markets[j].market.symbol;
    addLosses(agg, e);
    agg.penaltiesToVault += e.penaltiesToVault;
    agg.feePoolAfter += e.feePoolAfter;
    agg.cascadeRounds += e.cascadeRounds;
    for (AdlFill f : e.adlFills) {
      f.id = prefix + "/" + f.id;
      agg.adlFills.push_back(std::move(f));
    }
    for (PositionOutcome p : e.positions) {
      p.id = prefix + "/" + p.id;
      agg.positions.push_back(std::move(p));
    }
    if (perMarket) fundAfter += e.fundAfter;
    else fund = fundAfter = e.fundAfter;
    vault = e.vaultAfter;
    if (s.fund.treasury.delayDays <= 0) treasury = e.treasuryAfter;
    e.symbol = s.markets[j].market.symbol;
    agg.markets.push_back(std::move(e));
  }
  agg.markAfter = agg.markets.empty() ? 0.0 : agg.markets[0].markAfter;  // the first market's; each market's is in `markets`
  agg.fundAfter = fundAfter;
  agg.vaultAfter = vault;
  agg.treasuryAfter = treasury;
  return agg;
}

}  // namespace

StressResult runStressEvents(const Scenario& s) {
  StressResult r;
  r.scenario = s.name;
  r.preset = s.policy.preset;
  r.fundBefore = currentFundBalance(s);
  if (s.multiMarket) {
    for (double shock : s.stress.shocks) r.events.push_back(multiMarketEvent(s, shock));
  } else {
    r.events = runStress(s);
  }
  return r;
}

StressResult stress(const Scenario& in, const RunOptions&) {
  const Scenario s = resolve(in);
  ScenarioNeeds needs;
  needs.stress = true;
  const std::vector<FieldError> errors = validate(s, needs);
  if (!errors.empty()) throw InputError(ErrorCode::InvalidInput, errors);
  return runStressEvents(s);
}

}  // namespace backstop
