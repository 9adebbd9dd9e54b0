#include "backstop/waterfall/adl.hpp"

#include <algorithm>

#include "backstop/market/random.hpp"
#include "backstop/venues/venues.hpp"

namespace backstop {

double adlScore(AdlRanking rule, const Position& p, Contract c, double mark, const Maintenance& mm, double accounts) {
  const double upnl = unrealisedPnl(p, c, mark);
  const double eq = equity(p, c, mark);
  const double notional = notionalInMargin(p, c, mark);
  switch (rule) {
    case AdlRanking::PnlTimesLeverage:
      // BitMEX: PNL% = UPnL/|entry value|, EffectiveLeverage = |mark value|/(mark value − bankrupt value).
      return venues::bitmex::adlRank(upnl / notionalInMargin(p, c, p.entryPrice), notional, eq);
    case AdlRanking::BinanceLeveragePnl:
      return venues::binance::adlScore(upnl, p.collateral, maintenanceRequirement(p, c, mark, mm, accounts));
    case AdlRanking::HyperliquidIndex:
      return venues::hyperliquid::adlIndex(p.side == Side::Long ? mark / p.entryPrice : p.entryPrice / mark,
                                           notional, eq);
    case AdlRanking::Pnl:
    case AdlRanking::ProRata:
    case AdlRanking::Random:
    case AdlRanking::WaterFilling:  // allocated by leverage, not ranked (water_filling.hpp)
      return upnl;
  }
  return upnl;
}

std::vector<size_t> adlQueue(const std::vector<BookEntry>& book, Side side, AdlRanking rule, Contract c, double mark,
                             const Maintenance& mm, std::uint64_t& rng) {
  std::vector<size_t> q;
  for (size_t i = 0; i < book.size(); ++i) {
    const auto& e = book[i];
    if (e.open && e.position.side == side && e.position.quantity > 0 && unrealisedPnl(e.position, c, mark) > 0)
      q.push_back(i);
  }
  if (q.empty()) return q;
  auto byId = [&](size_t a, size_t b) { return book[a].position.id < book[b].position.id; };
  if (rule == AdlRanking::Random) {
    // dYdX v4: offsetting accounts visited from a pseudo-random start.
    std::sort(q.begin(), q.end(), byId);
    const size_t start = size_t(nextUniform(rng) * double(q.size())) % q.size();
    std::rotate(q.begin(), q.begin() + long(start), q.end());
    return q;
  }
  std::vector<double> score(book.size(), 0.0);
  for (size_t i : q) score[i] = adlScore(rule, book[i].position, c, mark, mm, book[i].accounts);
  std::sort(q.begin(), q.end(), [&](size_t a, size_t b) {
    if (score[a] != score[b]) return score[a] > score[b];
    return byId(a, b);
  });
  return q;
}

double adlClosePrice(Side side, Contract c, double mark, double lossPerUnit) {
  if (c == Contract::Linear) return side == Side::Short ? mark + lossPerUnit : mark - lossPerUnit;
  return side == Side::Short ? 1.0 / (1.0 / mark - lossPerUnit) : 1.0 / (1.0 / mark + lossPerUnit);
}

AdlFill adlClose(BookEntry& e, double take, double loss, Contract c, double mark) {
  Position& cp = e.position;
  AdlFill fill{cp.id, take, adlClosePrice(cp.side, c, mark, loss / take), loss};
  const double keep = (cp.quantity - take) / cp.quantity;
  cp.collateral *= keep;
  cp.quantity -= take;
  if (cp.quantity <= 1e-15 * take) {
    cp.quantity = 0;
    e.open = false;
  }
  return fill;
}

}  // namespace backstop
