#include "backstop/stress.hpp"

#include <algorithm>
#include <cmath>

#include "backstop/liquidation.hpp"
#include "backstop/venues.hpp"

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

}  // namespace

StressEvent runShock(const Scenario& s, double shock) {
  const Contract c = s.market.contract;
  const double mmr = s.market.maintenanceMarginRate;
  const double vol = modelDailyVolatility(s.priceModel);
  std::vector<BookEntry> book = initialBook(s);
  Waterfall wf(s.market, s.policy, s.fund, s.simulation.seed);
  wf.startEvent();

  StressEvent ev;
  ev.shock = shock;
  const double p1 = s.market.markPrice * (1.0 + shock);
  double sold = 0, bought = 0;  // quote notional liquidated by selling (longs) and buying (shorts)
  double mark = p1;
  std::vector<char> done(book.size(), 0);
  std::vector<PositionOutcome> outcome(book.size());
  for (size_t i = 0; i < book.size(); ++i) outcome[i].id = book[i].position.id;

  // Cascade: liquidate what the mark has crossed, in crossing order; permanent impact moves
  // the mark, which may cross more levels. Bounded: each round liquidates at least one.
  for (int round = 0; round < (int)book.size() + 1; ++round) {
    std::vector<size_t> hit;
    for (size_t i = 0; i < book.size(); ++i)
      if (!done[i] && book[i].open && crossed(book[i].position, c, mark, mmr)) hit.push_back(i);
    if (hit.empty()) break;
    ev.cascadeRounds = round + 1;
    // Crossing order: on the way down the highest long liquidation level first, on the way up the lowest short one.
    std::sort(hit.begin(), hit.end(), [&](size_t a, size_t b) {
      const Position& pa = book[a].position;
      const Position& pb = book[b].position;
      const double la = *liquidationPrice(pa, c, mmr), lb = *liquidationPrice(pb, c, mmr);
      if (pa.side != pb.side) return pa.side == (shock <= 0 ? Side::Long : Side::Short);
      if (la != lb) return pa.side == Side::Long ? la > lb : la < lb;
      return pa.id < pb.id;
    });
    for (size_t i : hit) {
      if (!book[i].open) continue;  // deleveraged to zero by an earlier fill
      Position& p = book[i].position;
      done[i] = 1;
      PositionOutcome& o = outcome[i];
      o.liquidated = true;
      const double q = notionalInQuote(p, c, mark);
      double& walked = p.side == Side::Long ? sold : bought;
      walked += q;
      ev.liquidatedNotional += q;
      // Walking the book: this fill's impact counts everything liquidated before it in the event.
      const double impact = impactFraction(s.market, vol, walked);
      double x = executionPrice(p.side, p1, impact);
      bool deleverage = false, backstop = false;
      if (s.policy.preset == Venue::DydxV4) {
        // The liquidation order is limited to the fillable price; if the book cannot fill
        // there, a position with negative equity is deleveraged at its bankruptcy price.
        const double sgn = sign(p.side);
        const bool lin = c == Contract::Linear;
        const double nnvQuote = lin ? p.quantity * mark : p.quantity;  // in quote units
        const double size = lin ? p.quantity : p.quantity / mark;        // in base units
        const double tnc = lin ? equity(p, c, mark) : equity(p, c, mark) * mark;
        const double fillable = venues::dydx::fillablePrice(sgn * nnvQuote, sgn * size, mmr * nnvQuote, tnc,
                                                            mmr * nnvQuote, s.policy.bankruptcyAdjustment,
                                                            s.policy.spreadToMaintenance);
        const bool worse = p.side == Side::Long ? x < fillable : x > fillable;
        if (worse) {
          if (equity(p, c, mark) < 0) deleverage = true;
          else x = fillable;
        }
      }
      if (s.policy.preset == Venue::Hyperliquid &&
          equity(p, c, mark) < s.policy.backstopThreshold * maintenanceRequirement(p, c, mark, mmr))
        backstop = true;  // the liquidator vault takes the position and its margin at the mark
      FillOutcome f;
      if (deleverage || backstop) {
        f.executionPrice = mark;
        f.realisedEquity = equity(p, c, mark);
        if (f.realisedEquity >= 0) {
          if (backstop) {
            wf.creditVault(f.realisedEquity);
            f.penalty = f.realisedEquity;
          }
        } else {
          f.badDebt = -f.realisedEquity;
        }
        walked -= q;  // not executed in the book
        o.backstopped = true;
      } else {
        f = closeAt(p, c, x, s.policy);
        if (f.badDebt > 0 && s.policy.fundCoverage == FundCoverage::AllOrNothing && equity(p, c, mark) < 0 &&
            std::find(s.policy.stages.begin(), s.policy.stages.end(), Stage::InsuranceFund) != s.policy.stages.end() &&
            wf.fundAvailable() < f.badDebt) {
          // SPEC §4 all_or_nothing (BitMEX, dYdX v4): a fill the fund cannot cover entirely is
          // rejected; the whole position goes to the next stage at its bankruptcy price, so the
          // debt is its equity at the mark, not the impacted fill's, and the book is not walked.
          deleverage = true;
          f = FillOutcome{};
          f.executionPrice = mark;
          f.realisedEquity = equity(p, c, mark);
          f.badDebt = -f.realisedEquity;
          walked -= q;
          o.backstopped = true;
        }
        if (s.policy.preset == Venue::Drift && f.realisedEquity >= 0) {
          // Drift: an insurance-fund fee on top of the liquidator fee (liquidation.rs).
          const double notional = notionalInMargin(p, c, x);
          const double shortage = std::max(0.0, maintenanceRequirement(p, c, mark, mmr) - equity(p, c, mark));
          const double ifFee = venues::drift::insuranceFundFee(shortage, p.quantity, x, mmr, s.policy.penaltyRate,
                                                               s.policy.maxInsuranceFundFee);
          const double extra = std::min(f.returned, ifFee * notional);
          f.penalty += extra;
          f.penaltyToFund += extra;
          f.returned -= extra;
        }
      }
      o.executionPrice = f.executionPrice;
      o.penalty = f.penalty;
      o.returned = f.returned;
      o.badDebt = f.badDebt;
      if (f.penaltyToFund > 0) {
        wf.creditFund(f.penaltyToFund);
        ev.penaltiesToFund += f.penaltyToFund;
      }
      const Position closed = p;
      book[i].open = false;
      p.quantity = 0;
      if (f.badDebt > 0) {
        ev.badDebt += f.badDebt;
        ev.waterfall += wf.cover(f.badDebt, closed, mark, book, ev.adlFills, deleverage);
      }
    }
    // Permanent impact of everything liquidated so far moves the mark (SPEC §3 feedback).
    const double perm = s.market.liquidity.permanentImpact;
    mark = p1 * (1.0 - perm * impactFraction(s.market, vol, sold)) * (1.0 + perm * impactFraction(s.market, vol, bought));
    if (perm <= 0) break;
  }
  ev.markAfter = mark;
  ev.fundAfter = wf.fund();
  ev.vaultAfter = wf.vault();
  ev.positions = std::move(outcome);
  return ev;
}

std::vector<StressEvent> runStress(const Scenario& s) {
  std::vector<StressEvent> out;
  for (double shock : s.stress.shocks) out.push_back(runShock(s, shock));
  return out;
}

Json toJson(const StressEvent& e) {
  Json fills = Json::array();
  for (const auto& f : e.adlFills)
    fills.push_back({{"id", f.id}, {"quantity", f.quantity}, {"price", f.price}, {"loss", f.loss}});
  Json positions = Json::array();
  for (const auto& p : e.positions) {
    Json j = {{"id", p.id}, {"liquidated", p.liquidated}};
    if (p.liquidated) {
      j["execution_price"] = p.executionPrice;
      j["bad_debt"] = p.badDebt;
      j["penalty"] = p.penalty;
      j["returned"] = p.returned;
      if (p.backstopped) j["backstopped"] = true;
    } else {
      j["execution_price"] = nullptr;
      j["bad_debt"] = 0.0;
      j["penalty"] = 0.0;
      j["returned"] = 0.0;
    }
    positions.push_back(j);
  }
  return {{"shock", e.shock},
          {"mark_after", e.markAfter},
          {"liquidated_notional", e.liquidatedNotional},
          {"bad_debt", e.badDebt},
          {"penalties_to_fund", e.penaltiesToFund},
          {"waterfall",
           {{"insurance_fund", e.waterfall.insuranceFund},
            {"backstop_vault", e.waterfall.backstopVault},
            {"adl", e.waterfall.adl},
            {"socialized_loss", e.waterfall.socializedLoss},
            {"uncovered", e.waterfall.uncovered}}},
          {"fund_after", e.fundAfter},
          {"vault_after", e.vaultAfter},
          {"cascade_rounds", e.cascadeRounds},
          {"adl_fills", fills},
          {"positions", positions}};
}

namespace {

// The single-market scenario of market j, drawing on `fund` and `vault` as they stand.
Scenario marketScenario(const Scenario& s, size_t j, double fund, double vault) {
  Scenario one = s;
  const MarketSpec& m = s.markets[j];
  one.market = m.market;
  one.book = m.book;
  one.priceModel = m.priceModel;
  one.policy = m.policy;
  one.fund.balance = fund;
  one.fund.backstopVault = vault;
  one.markets = {m};
  one.multiMarket = false;
  return one;
}

// A shock moves every market by the same relative amount; the markets' liquidations go
// through the waterfall in the order listed, one shared fund carried from market to market
// (or each market's own fund with scope per_market). SPEC §14.
Json multiMarketEvent(const Scenario& s, double shock) {
  const bool perMarket = s.fund.scope == FundScope::PerMarket;
  double fund = s.fund.balance, vault = s.fund.backstopVault, fundAfter = 0;
  Json agg = {{"shock", shock}, {"liquidated_notional", 0.0}, {"bad_debt", 0.0}, {"penalties_to_fund", 0.0},
              {"cascade_rounds", 0}, {"adl_fills", Json::array()}, {"positions", Json::array()}};
  Json split = {{"insurance_fund", 0.0}, {"backstop_vault", 0.0}, {"adl", 0.0}, {"socialized_loss", 0.0}, {"uncovered", 0.0}};
  Json markets = Json::array();
  for (size_t j = 0; j < s.markets.size(); ++j) {
    const StressEvent e = runShock(marketScenario(s, j, perMarket ? s.markets[j].balance : fund, vault), shock);
    Json ej = toJson(e);
    const std::string prefix = s.markets[j].market.symbol.empty() ? "market-" + std::to_string(j) : s.markets[j].market.symbol;
    for (const char* k : {"liquidated_notional", "bad_debt", "penalties_to_fund"})
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
    ej["symbol"] = s.markets[j].market.symbol;
    markets.push_back(std::move(ej));
  }
  agg["mark_after"] = markets[0]["mark_after"];  // the first market's; each market's is in `markets`
  agg["waterfall"] = split;
  agg["fund_after"] = fundAfter;
  agg["vault_after"] = vault;
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
