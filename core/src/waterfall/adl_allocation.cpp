#include "backstop/waterfall/adl_allocation.hpp"

#include <algorithm>
#include <cmath>

#include "backstop/model/names.hpp"
#include "backstop/waterfall/waterfall.hpp"
#include "backstop/waterfall/water_filling.hpp"

namespace backstop {

namespace {

bool isCounterparty(const BookEntry& e, Side side, Contract c, double mark) {
  return e.open && e.position.side == side && e.position.quantity > 0 && unrealisedPnl(e.position, c, mark) > 0;
}

double lookup(const std::map<std::string, double>& m, const std::string& id) {
  const auto it = m.find(id);
  return it == m.end() ? 0.0 : it->second;
}

// Account leverage n·(q − x)/(E − loss) of a position of q after ADL closed x of it; 0 once closed.
double accountLeverage(double n, double quantity, double quantityLeft, double equity) {
  if (!(quantityLeft > 1e-12 * quantity)) return 0.0;
  return equity > 0 ? n * quantityLeft / equity : INFINITY;
}

}  // namespace

std::vector<AdlTake> allocateAdl(AdlRanking rule, const std::vector<BookEntry>& book, Side side, double quantity,
                                 double perUnit, Contract c, double mark, const Maintenance& mm, std::uint64_t& rng,
                                 const std::map<std::string, double>& released) {
  std::vector<AdlTake> takes;
  if (!(quantity > 0)) return takes;
  // The profitable positions of `side`, in the rule's order (waterfall/adl.hpp).
  const std::vector<size_t> cps = adlQueue(book, side, rule, c, mark, mm, rng);
  if (cps.empty()) return takes;
  auto lossPerUnit = [&](const Position& p) { return std::min(perUnit, unrealisedPnl(p, c, mark) / p.quantity); };

  if (rule == AdlRanking::WaterFilling) {
    std::vector<AdlAccount> accounts;
    for (size_t i : cps) {
      const Position& p = book[i].position;
      AdlAccount a = adlAccount(p, c, mark, perUnit);
      a.equity += lookup(released, p.id);
      accounts.push_back(a);
    }
    const double n = adlNotionalPerUnit(c, mark);
    const WaterFilling w = waterFill(quantity, n, accounts);
    // Most levered first (the order the water level reaches them), ties by id.
    std::vector<size_t> order(cps.size());
    std::vector<double> lev(cps.size());
    for (size_t k = 0; k < cps.size(); ++k) {
      order[k] = k;
      lev[k] = postAdlLeverage(accounts[k], n, 0);
    }
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      if (lev[a] != lev[b]) return lev[a] > lev[b];
      return book[cps[a]].position.id < book[cps[b]].position.id;
    });
    for (size_t k : order)
      if (w.close[k] > 0) takes.push_back({cps[k], w.close[k], accounts[k].lossPerUnit});
    return takes;
  }

  double qtyLeft = quantity;
  double totalQty = 0;
  for (size_t i : cps) totalQty += book[i].position.quantity;
  for (size_t i : cps) {
    if (qtyLeft <= 0) break;
    const Position& cp = book[i].position;
    const double take = rule == AdlRanking::ProRata
                            ? std::min(cp.quantity, quantity * cp.quantity / std::max(totalQty, quantity))
                            : std::min(cp.quantity, qtyLeft);
    if (take <= 0) continue;
    takes.push_back({i, take, lossPerUnit(cp)});
    qtyLeft -= take;
  }
  return takes;
}

void AdlLedger::reset() { *this = AdlLedger(); }

void AdlLedger::beginRound(const std::vector<BookEntry>& book, Side side, double quantity, double debt, double mark,
                           std::uint64_t rng, Contract c) {
  if (rounds_ == 0) {
    side_ = side;
    firstBook_ = book;
    firstMark_ = mark;
    firstRng_ = rng;
  }
  ++rounds_;
  lastMark_ = mark;
  // The comparison reallocates one side's ADL: a round on the other side (a shock that
  // bankrupts both sides) is in the summary but not in the comparison.
  if (side == side_) {
    quantity_ += quantity;
    debt_ += debt;
  }
  for (const auto& e : book)
    if (isCounterparty(e, side, c, mark) && !accounts_.count(e.position.id))
      accounts_[e.position.id] = Account{e.position, mark, 0, 0};
}

void AdlLedger::recordFill(const std::string& id, double quantity, double loss, double released) {
  Account& a = accounts_[id];
  a.closed += quantity;
  a.loss += loss;
  released_[id] += released;
}

AdlSummary AdlLedger::summary(AdlRanking rule, const std::vector<BookEntry>& book, Contract c) const {
  AdlSummary s;
  s.rule = rule;
  const double n = adlNotionalPerUnit(c, lastMark_);
  std::map<std::string, const Position*> now;
  for (const auto& e : book) now[e.position.id] = &e.position;
  for (const auto& [id, a] : accounts_) {
    if (a.closed > 0) ++s.counterparties;
    s.quantity += a.closed;
    s.loss += a.loss;
    s.maxLeverageBefore =
        std::max(s.maxLeverageBefore, accountLeverage(n, a.before.quantity, a.before.quantity, equity(a.before, c, lastMark_)));
    const auto it = now.find(id);
    const double left = it == now.end() ? 0.0 : it->second->quantity;
    const double eq = (left > 0 ? equity(*it->second, c, lastMark_) : 0.0) + lookup(released_, id);
    s.maxLeverageAfter = std::max(s.maxLeverageAfter, accountLeverage(n, a.before.quantity, left, eq));
    const double profit = unrealisedPnl(a.before, c, a.markBefore);
    if (a.loss > 0 && profit > 0) s.largestHaircutShare = std::max(s.largestHaircutShare, a.loss / profit);
  }
  return s;
}

std::vector<AdlSummary> AdlLedger::compare(Contract c, const Maintenance& mm) const {
  std::vector<AdlSummary> out;
  if (rounds_ == 0 || !(quantity_ > 0)) return out;
  const double perUnit = debt_ / quantity_, n = adlNotionalPerUnit(c, firstMark_);
  for (AdlRanking rule : valuesOf<AdlRanking>()) {
    std::uint64_t rng = firstRng_;
    const auto takes = allocateAdl(rule, firstBook_, side_, quantity_, perUnit, c, firstMark_, mm, rng);
    std::vector<double> closed(firstBook_.size(), 0.0), loss(firstBook_.size(), 0.0);
    AdlSummary o;
    o.rule = rule;
    for (const auto& t : takes) {
      closed[t.index] += t.quantity;
      loss[t.index] += t.quantity * t.lossPerUnit;
      o.quantity += t.quantity;
      o.loss += t.quantity * t.lossPerUnit;
      ++o.counterparties;
    }
    for (size_t i = 0; i < firstBook_.size(); ++i) {
      if (!isCounterparty(firstBook_[i], side_, c, firstMark_)) continue;
      const Position& p = firstBook_[i].position;
      const double eq = equity(p, c, firstMark_);
      o.maxLeverageBefore = std::max(o.maxLeverageBefore, accountLeverage(n, p.quantity, p.quantity, eq));
      o.maxLeverageAfter =
          std::max(o.maxLeverageAfter, accountLeverage(n, p.quantity, p.quantity - closed[i], eq - loss[i]));
      if (loss[i] > 0)
        o.largestHaircutShare =
            std::max(o.largestHaircutShare, loss[i] / unrealisedPnl(p, c, firstMark_));
    }
    out.push_back(o);
  }
  return out;
}

}  // namespace backstop
