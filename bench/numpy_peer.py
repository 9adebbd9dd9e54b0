#!/usr/bin/python3
"""The numpy peer of `backstop simulate` on an explicit book (bench/README.md).

What a competent analyst writes: positions x paths (each side's positions sorted in the
order a fall / rise reaches them, one "next position" index per path), vectorised over paths
per step, np.flatnonzero to pick the few paths a step liquidates on. Same model as the engine
(core/src/simulation/market_engine.hpp, MarketEngine::step for a book of explicit positions, one market):
  - Merton log-price: diffusion drift + sigma*z per step, then the step's jumps;
  - a long is liquidated when the Brownian-bridge minimum of the diffusion part reaches its
    level (executed at its level), or when the post-jump price is at or below its level
    (executed at that price); shorts mirror with the bridge maximum;
  - execution price = reference x (1 -/+ min(0.01 x walked / depth_1pct, 0.99)), `walked` the
    quote notional this step already liquidated on that side (linear impact);
  - equity R = collateral + s q (X - E); R >= 0: penalty min(R, rate q X) to the fund,
    R < 0: bad debt -R; a liquidated position is gone for the rest of the path;
  - the fund's outflow S_k = sum of (bad debt - fee inflow - penalties) per step;
    depleted iff max_k S_k > fund balance.
Supports: linear contract, explicit positions only, GBM or Merton, impact none or linear,
no permanent impact, penalty mode fee_rate. Anything else is refused by name.

  /usr/bin/python3 bench/numpy_peer.py [SCENARIO] [--paths N] [--seed S] [--json]
"""
import argparse
import json
import math
import sys

import numpy as np

PENALTY = {  # the fee_rate presets of core/src/scenario.cpp presetPolicy (rate, to_fund)
    "generic": (0.005, 1.0), "bitmex": (0.005, 1.0), "dydx_v4": (0.015, 1.0),
}


def refuse(pointer, why):
    sys.exit(f"numpy_peer: {pointer} {why}")


def load(doc):
    m, b, pm = doc["market"], doc["book"], doc["price_model"]
    if m.get("contract", "linear") != "linear":
        refuse("/market/contract", "must be linear for the peer")
    if b.get("open_interest") or b.get("leverage"):
        refuse("/book", "must hold explicit positions only for the peer")
    liq = m.get("liquidity", {"model": "none"})
    if liq.get("model", "none") not in ("none", "linear") or liq.get("permanent_impact", 0) != 0:
        refuse("/market/liquidity", "must be none or linear without permanent impact for the peer")
    if pm["kind"] not in ("gbm", "merton"):
        refuse("/price_model/kind", f"is {pm['kind']}: the peer does gbm and merton")
    pol = doc.get("policy", {})
    preset = pol.get("preset", "generic")
    if preset == "binance":  # clearance fee 0.3 % on BTC, 0.5 % on other contracts
        rate, to_fund = (0.003 if m["symbol"].startswith("BTC") else 0.005), 1.0
    elif preset in PENALTY:
        rate, to_fund = PENALTY[preset]
    else:
        refuse("/policy/preset", f"is {preset}: the peer knows generic, bitmex, binance, dydx_v4")
    pen = pol.get("penalty", {})
    if pen.get("mode", "fee_rate") != "fee_rate":
        refuse("/policy/penalty/mode", "must be fee_rate for the peer")
    rate, to_fund = pen.get("rate", rate), pen.get("to_fund", to_fund)
    return m, b["positions"], doc["fund"], pm, doc["simulation"], liq, rate, to_fund


def simulate(doc, paths, seed):
    m, positions, fund, pm, sim, liq, rate, to_fund = load(doc)
    P0, mmr = float(m["mark_price"]), float(m["maintenance_margin_rate"])
    depth = float(liq["depth_1pct"]) if liq.get("model") == "linear" else math.inf
    spd = int(sim["steps_per_day"])
    steps = int(sim["horizon_days"] * spd + 0.5)
    dt = 1.0 / spd
    sigma = float(pm["daily_volatility"])
    merton = pm["kind"] == "merton"
    lam_year = float(pm.get("jump_intensity_per_year", 0)) if merton else 0.0
    jm, js = float(pm.get("jump_mean", 0)), float(pm.get("jump_stdev", 0))
    comp = lam_year / 365.0 * (math.exp(jm + 0.5 * js * js) - 1.0)
    drift = (float(pm.get("drift_per_year", 0)) / 365.0 - 0.5 * sigma * sigma - comp) * dt
    sd, var, lam = sigma * math.sqrt(dt), sigma * sigma * dt, lam_year / 365.0 * dt
    fee = float(fund.get("fee_share", 0)) * float(m.get("taker_fee_rate", 0)) * float(m.get("daily_volume", 0)) * dt
    u0 = float(fund["balance"])

    # Each side: positions in the order a move reaches them, padded with one level never reached.
    sides = {}
    for side, sgn in (("long", 1.0), ("short", -1.0)):
        rows = []
        for p in positions:
            if p["side"] != side:
                continue
            q, E, M = float(p["quantity"]), float(p["entry_price"]), float(p["collateral"])
            if side == "long":
                num = q * E - M
                if num <= 0:
                    continue  # never liquidated
                L = num / (q * (1 - mmr))
            else:
                L = (q * E + M) / (q * (1 + mmr))
            rows.append((math.log(L / P0), q, E, M))
        rows.sort(key=lambda r: -r[0] if side == "long" else r[0])
        rows.append((-math.inf if side == "long" else math.inf, 0.0, 1.0, 0.0))
        lv, q, E, M = (np.array(c) for c in zip(*rows))
        sides[side] = dict(sgn=sgn, lv=lv, q=q, E=E, M=M, nxt=np.zeros(paths, dtype=np.int64))

    rng = np.random.default_rng(seed)
    x = np.zeros(paths)            # log(P / P0)
    S = np.zeros(paths)            # the fund's cumulative outflow sum_i X_i
    Smax = np.zeros(paths)         # max_k S_k
    bad = np.zeros(paths)
    liquidated = np.zeros(paths)
    flow = np.zeros(paths)         # this step's bad debt - penalties to the fund
    for s in sides.values():
        s["walked"] = np.zeros(paths)  # this step's liquidated notional on the side

    def sweep(s, cand, y, at_level):
        """Liquidates on side s, for paths `cand`, everything the log-price y (per cand) reached."""
        lv, nxt, walked, sg = s["lv"], s["nxt"], s["walked"], s["sgn"]
        hit = (lv[nxt[cand]] >= y) if sg > 0 else (lv[nxt[cand]] <= y)
        cand, y = cand[hit], y[hit]
        while cand.size:
            k = nxt[cand]
            ref = P0 * np.exp(lv[k] if at_level else y)
            q = s["q"][k]
            notional = q * ref
            w = walked[cand] + notional
            walked[cand] = w
            X = ref * (1.0 - sg * np.minimum(0.01 * w / depth, 0.99))
            R = s["M"][k] + sg * q * (X - s["E"][k])
            debt = np.where(R < 0, -R, 0.0)
            pen = np.where(R >= 0, np.minimum(R, rate * q * X), 0.0)
            flow[cand] += debt - to_fund * pen
            bad[cand] += debt
            liquidated[cand] += notional
            nxt[cand] = k + 1
            more = (lv[k + 1] >= y) if sg > 0 else (lv[k + 1] <= y)
            cand, y = cand[more], y[more]

    L, H = sides["long"], sides["short"]
    for _ in range(steps):
        diff = drift + sd * rng.standard_normal(paths)
        if lam > 0:
            n = rng.poisson(lam, paths)
            jp = np.flatnonzero(n)
            jump = jm * n[jp] + js * np.sqrt(n[jp]) * rng.standard_normal(jp.size)
        else:
            jp = np.zeros(0, dtype=np.int64)
        # Bridge extremes of the diffusion part (exact marginals, drawn independently).
        ulo = 1.0 - rng.random(paths)  # (0, 1]
        uhi = 1.0 - rng.random(paths)
        lo = x + 0.5 * (diff - np.sqrt(diff * diff - 2.0 * var * np.log(ulo)))
        hi = x + 0.5 * (diff + np.sqrt(diff * diff - 2.0 * var * np.log(uhi)))
        x += diff
        cl = np.flatnonzero(L["lv"][L["nxt"]] >= lo)  # paths whose minimum reaches the next long
        ch = np.flatnonzero(H["lv"][H["nxt"]] <= hi)
        if cl.size:
            sweep(L, cl, lo[cl], True)
        if ch.size:
            sweep(H, ch, hi[ch], True)
        if jp.size:  # a gap: both sides at the post-jump price, executed there
            x[jp] += jump
            sweep(L, jp, x[jp], False)
            sweep(H, jp, x[jp], False)
        S -= fee
        t = np.union1d(np.union1d(cl, ch), jp)
        if t.size:
            S[t] += flow[t]
            Smax[t] = np.maximum(Smax[t], S[t])
            flow[t] = 0.0
            L["walked"][t] = 0.0
            H["walked"][t] = 0.0
    return dict(depleted=Smax > u0, bad_debt=bad, liquidated=liquidated, max_outflow=Smax, u0=u0)


def summary(r):
    n = r["depleted"].size
    out = {"paths": n}
    for name, v in (("depletion_probability", r["depleted"].astype(float)), ("bad_debt_mean", r["bad_debt"]),
                    ("liquidated_notional_mean", r["liquidated"])):
        out[name] = float(v.mean())
        out[name + "_se"] = float(v.std(ddof=1) / math.sqrt(n))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default="bench/scenarios/explicit-book.json")
    ap.add_argument("--paths", type=int)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    a = ap.parse_args()
    with open(a.scenario) as f:
        doc = json.load(f)
    paths = a.paths or int(doc["simulation"]["paths"])
    seed = a.seed if a.seed is not None else int(doc["simulation"].get("seed", 1))
    out = summary(simulate(doc, paths, seed))
    if a.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k}: {v}")


if __name__ == "__main__":
    main()
