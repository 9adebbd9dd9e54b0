#include "backstop/stress/stress.hpp"

#include <algorithm>
#include <cmath>

#include "backstop/market/liquidation.hpp"
#include "backstop/venues/rules.hpp"
#include "stress/shock_run.hpp"

namespace backstop {

std::vector<BookEntry> initialBook(const Scenario& s) {
  std::vector<BookEntry> book;
  for (const auto& p : s.book.positions) book.push_back({p, true, false});
  if (s.book.synthetic()) {
    const double P = s.market.markPrice;
    for (Side side : {Side::Long, Side::Short}) {
      for (const auto& b : s.book.leverage) {
        if (b.share <= 0) continue;
        Position p;
        p.id = std::string("synthetic:") + toString(side) + ":" + formatValue(b.leverage) + "x";
        p.side = side;
        const double notionalQuote = s.book.openInterest * b.share;
        p.quantity = s.market.contract == Contract::Linear ? notionalQuote / P : notionalQuote;
        p.entryPrice = P;
        p.collateral = notionalInMargin(p, s.market.contract, P) / b.leverage;
        book.push_back({p, true, true});
      }
    }
  }
  return book;
}

namespace {

bool crossed(const Position& p, Contract c, double mark, double mmr) {
  const auto liq = liquidationPrice(p, c, mmr);
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
  const double x = executionPrice(p.side, r.p1_, impactFraction(s.market, r.vol_, w));
  FillOutcome f = closeAt(p, c, x, s.policy);
  bool skipFund = false;
  if (f.badDebt > 0 && s.policy.fundCoverage == FundCoverage::AllOrNothing && equity(p, c, r.mark_) < 0 &&
      hasStage(s.policy, Stage::InsuranceFund) && r.wf_.fundAvailable() < f.badDebt) {
    // all_or_nothing (docs/formulas.md "Waterfall stages"; dYdX v4 rejects such fills): a fill the fund cannot cover entirely is
    // rejected; the whole position goes to the next stage at its bankruptcy price, so the
    // debt is its equity at the mark, not the impacted fill's, and the book is not walked.
    skipFund = true;
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
    : s_(s), c_(s.market.contract), mmr_(s.market.maintenanceMarginRate), vol_(modelDailyVolatility(s.priceModel)),
      book_(initialBook(s)), wf_(s.market, s.policy, s.fund, s.simulation.seed) {
  wf_.startEvent();
  ev_.shock = shock;
  p1_ = s.market.markPrice * (1.0 + shock);
  mark_ = p1_;
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
      if (!done[i] && book_[i].open && !(triedAt[i] == mark_) && crossed(book_[i].position, c_, mark_, mmr_))
        hit.push_back(i);
    if (hit.empty()) break;
    ev_.cascadeRounds = round + 1;
    // Crossing order: on the way down the highest long liquidation level first, on the way up the lowest short one.
    std::sort(hit.begin(), hit.end(), [&](size_t a, size_t b) {
      const Position& pa = book_[a].position;
      const Position& pb = book_[b].position;
      const double la = *liquidationPrice(pa, c_, mmr_), lb = *liquidationPrice(pb, c_, mmr_);
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
    const double perm = s_.market.liquidity.permanentImpact;
    mark_ = p1_ * (1.0 - perm * impactFraction(s_.market, vol_, sold_)) *
            (1.0 + perm * impactFraction(s_.market, vol_, bought_));
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
  return std::move(ev_);
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

StressEvent runShock(const Scenario& s, double shock) { return ShockRun(s, shock).run(); }

std::vector<StressEvent> runStress(const Scenario& s) {
  std::vector<StressEvent> out;
  for (double shock : s.stress.shocks) out.push_back(runShock(s, shock));
  return out;
}

namespace {
Json fillsJson(const std::vector<AdlFill>& fs) {
  Json fills = Json::array();
  for (const auto& f : fs) fills.push_back({{"id", f.id}, {"quantity", f.quantity}, {"price", f.price}, {"loss", f.loss}});
  return fills;
}
}  // namespace

Json toJson(const StressEvent& e) {
  const Json fills = fillsJson(e.adlFills);
  Json positions = Json::array();
  for (const auto& p : e.positions) {
    Json j = {{"id", p.id}, {"liquidated", p.liquidated}};
    if (p.liquidated) {
      j["execution_price"] = p.executionPrice;
      j["bad_debt"] = p.badDebt;
      j["penalty"] = p.penalty;
      j["returned"] = p.returned;
      if (p.backstopped) j["backstopped"] = true;
      j["liquidated_quantity"] = p.liquidatedQuantity;
      if (p.deleveragedQuantity > 0) j["deleveraged_quantity"] = p.deleveragedQuantity;
      if (p.remainingQuantity > 0) j["remaining_quantity"] = p.remainingQuantity;
    } else {
      j["execution_price"] = nullptr;
      j["bad_debt"] = 0.0;
      j["penalty"] = 0.0;
      j["returned"] = 0.0;
    }
    positions.push_back(j);
  }
  Json out = {{"shock", e.shock},
              {"mark_after", e.markAfter},
              {"liquidated_notional", e.liquidatedNotional},
              {"bad_debt", e.badDebt},
              {"penalties_to_fund", e.penaltiesToFund},
              {"penalties_to_vault", e.penaltiesToVault},
              {"waterfall",
               {{"insurance_fund", e.waterfall.insuranceFund},
                {"treasury", e.waterfall.treasury},
                {"fee_pool", e.waterfall.feePool},
                {"backstop_vault", e.waterfall.backstopVault},
                {"adl", e.waterfall.adl},
                {"socialized_loss", e.waterfall.socializedLoss},
                {"uncovered", e.waterfall.uncovered}}},
              {"fund_after", e.fundAfter},
              {"vault_after", e.vaultAfter},
              {"fee_pool_after", e.feePoolAfter},
              {"treasury_after", e.treasuryAfter},
              {"cascade_rounds", e.cascadeRounds},
              {"adl_fills", fills},
              {"positions", positions}};
  if (!e.pool.empty()) {
    Json pool = Json::array();
    for (const auto& ps : e.pool)
      pool.push_back({{"side", toString(ps.side)},
                      {"pnl", ps.pnl},
                      {"pool_usd", ps.poolUsd},
                      {"pnl_to_pool_factor", std::isfinite(ps.factor) ? Json(ps.factor) : Json()},
                      {"capped_pnl_ratio", ps.cappedRatio},
                      {"adl", ps.adl},
                      {"pnl_to_pool_factor_after", std::isfinite(ps.factorAfter) ? Json(ps.factorAfter) : Json()},
                      {"paid_to_traders", ps.paid},
                      {"haircut", ps.haircut},
                      {"fills", fillsJson(ps.fills)}});
    out["pool_pnl"] = pool;
  }
  return out;
}

namespace {

// The single-market scenario of market j, drawing on `fund` and `vault` as they stand.
Scenario marketScenario(const Scenario& s, size_t j, double fund, double vault, double treasury) {
  Scenario one = s;
  const MarketSpec& m = s.markets[j];
  one.market = m.market;
  one.book = m.book;
  one.priceModel = m.priceModel;
  one.policy = m.policy;
  one.fund.balance = fund;
  one.fund.backstopVault = vault;
  one.fund.treasury.amount = treasury;
  one.markets = {m};
  one.multiMarket = false;
  return one;
}

// A shock moves every market by the same relative amount; the markets' liquidations go
// through the waterfall in the order listed, one shared fund carried from market to market
// (or each market's own fund with scope per_market). SPEC §14.
Json multiMarketEvent(const Scenario& s, double shock) {
  const bool perMarket = s.fund.scope == FundScope::PerMarket;
  double fund = s.fund.balance, vault = s.fund.backstopVault, fundAfter = 0, treasury = s.fund.treasury.amount;
  Json agg = {{"shock", shock}, {"liquidated_notional", 0.0}, {"bad_debt", 0.0}, {"penalties_to_fund", 0.0},
              {"penalties_to_vault", 0.0}, {"fee_pool_after", 0.0},
              {"cascade_rounds", 0}, {"adl_fills", Json::array()}, {"positions", Json::array()}};
  Json split = {{"insurance_fund", 0.0}, {"treasury", 0.0}, {"fee_pool", 0.0}, {"backstop_vault", 0.0},
                {"adl", 0.0}, {"socialized_loss", 0.0}, {"uncovered", 0.0}};
  Json markets = Json::array();
  for (size_t j = 0; j < s.markets.size(); ++j) {
    const StressEvent e = runShock(marketScenario(s, j, perMarket ? s.markets[j].balance : fund, vault, treasury), shock);
    Json ej = toJson(e);
    const std::string prefix = s.markets[j].market.symbol.empty() ? "market-" + std::to_string(j) : s.markets[j].market.symbol;
    for (const char* k : {"liquidated_notional", "bad_debt", "penalties_to_fund", "penalties_to_vault", "fee_pool_after"})
      agg[k] = agg[k].get<double>() + ej[k].get<double>();
    agg["cascade_rounds"] = agg["cascade_rounds"].get<int>() + e.cascadeRounds;
    for (auto it = split.begin(); it != split.end(); ++it) *it = it->get<double>() + ej["waterfall"][it.key()].get<double>();
    for (const char* list : {"adl_fills", "positions"})
      for (Json x : ej[list]) {
        x["id"] = prefix + "/" + x["id"].get<std::string>();
        agg[list].push_back(std::move(x));
      }
    if (perMarket) fundAfter += e.fundAfter;
    else fund = fundAfter = e.fundAfter;
    vault = e.vaultAfter;
    if (s.fund.treasury.delayDays <= 0) treasury = e.treasuryAfter;
    ej["symbol"] = s.markets[j].market.symbol;
    markets.push_back(std::move(ej));
  }
  agg["mark_after"] = markets[0]["mark_after"];  // the first market's; each market's is in `markets`
  agg["waterfall"] = split;
  agg["fund_after"] = fundAfter;
  agg["vault_after"] = vault;
  agg["treasury_after"] = treasury;
  agg["markets"] = markets;
  return agg;
}

}  // namespace

Json stressCommand(const Json& input, const RunOptions&) {
  ScenarioNeeds needs;
  needs.stress = true;
  const Scenario s = loadScenario(input, needs);
  Json events = Json::array();
  if (s.multiMarket) {
    for (double shock : s.stress.shocks) events.push_back(multiMarketEvent(s, shock));
  } else {
    for (const auto& e : runStress(s)) events.push_back(toJson(e));
  }
  const double fundBefore = currentFundBalance(s);
  return {{"scenario", s.name},
          {"preset", toString(s.policy.preset)},
          {"fund_before", fundBefore},
          {"events", events},
          {"version", version()}};
}

}  // namespace backstop
