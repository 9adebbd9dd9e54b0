// Uses the API as a TypeScript consumer would (through the package's "exports"); only
// type-checked (tsc --noEmit), never run. The @ts-expect-error lines must fail to compile.
import createBackstopDefault, {
  createBackstop, createPool, defaultWorkers, Backstop, BackstopError, BackstopPool,
  type SimulateResult, type SweepResult, type CalibrationResult, type ReplayResult, type ValidateResult, type StressResult, type Scenario, type BackstopErrorCode,
} from '@backstop-risk/backstop';

async function main(): Promise<number> {
  const bs: Backstop = await createBackstop();
  const again: Backstop = await createBackstopDefault();
  const version: string = bs.version + again.version;

  const scenario: Scenario = { schema: 'backstop/scenario@1', simulation: { paths: 1000, seed: 1 } };
  const v: ValidateResult = bs.validate(scenario);
  if (!v.valid) for (const e of v.errors) console.log(e.pointer, e.message);
  const venues: string[] = bs.names().venues.map((v) => `${v.id}: ${v.label}`);
  if (!venues.length) return 1;

  const stress: StressResult = bs.stress(JSON.stringify(scenario));
  const adl: number = stress.events[0].waterfall.adl;
  const replay: ReplayResult = await bs.replay(scenario, 'date,close\n2024-01-01,60000\n', { intervalDays: 1 });
  const replayed: number = replay.totals.waterfall.insurance_fund + replay.steps[0].fund_after;
  const depletedAt: number | null = replay.totals.depleted_at_days;
  const own: ReplayResult = await bs.replay({ ...scenario, replay: { close: [59000, 61000] } }, null);
  console.log(replayed, depletedAt, own.steps.length);

  const pool: BackstopPool = createPool(defaultWorkers());
  const controller = new AbortController();
  try {
    const r: SimulateResult = await bs.simulate(scenario, {
      pool, paths: 2000, seed: 7, signal: controller.signal,
      onProgress: (fraction: number) => console.log(fraction.toFixed(2)),
    });
    const p: number = r.depletion_probability.estimate;
    const [lo, hi] = r.depletion_probability.ci95;
    const fund: number | null = r.required_fund.amount;
    const curve: number[] = r.curve.map((c) => c.probability);
    const quietly = await bs.simulate(scenario, { workers: 4 });
    const size = await bs.size(scenario, { paths: 100 });
    const ruin = await bs.ruin(scenario);
    const sweep: SweepResult = await bs.sweep({ ...scenario, sweep: { parameter: '/fund/fee_share', values: [0, 0.1] } }, { pool });
    const required: (number | null)[] = sweep.points.map((pt) => pt.required_fund.amount);
    console.log(sweep.parameters[0].pointer, sweep.points[0].at[0].toFixed(3), required);
    console.log(p, lo, hi, fund, curve, quietly.seed, size.amount, ruin.psi, adl, version, bs.memoryBytes());
  } catch (e) {
    if (e instanceof BackstopError) {
      const code: BackstopErrorCode = e.code;
      console.log(code, e.pointer, e.errors.length, e.message);
    }
  } finally {
    pool.terminate();
  }

  const cal: CalibrationResult = await bs.calibrate('close\n1\n2\n', { model: 'garch', intervalDays: 1 });
  const fromArray: CalibrationResult = await bs.calibrate([1, 2, 3]);
  const aic: number | null = cal.fits[0].aic ?? fromArray.fits[0].aic;
  console.log(aic, cal.best, cal.fits[0].price_model.kind);
  // @ts-expect-error not a model
  bs.calibrate('close\n1\n', { model: 'heston' });

  // @ts-expect-error paths is a number
  await bs.simulate(scenario, { paths: '1000' });
  // @ts-expect-error simulate returns a Promise
  bs.simulate(scenario).depletion_probability;
  // Fields of the output contract, typed (tests/js/types-contract.test.mjs checks them against the CLI's outputs).
  const st: StressResult = bs.stress(scenario);
  const treasury: number = st.events[0].waterfall.treasury + st.events[0].treasury_after + st.events[0].cascade_rounds;
  const perMarket: (string | undefined)[] = (st.events[0].markets ?? []).map((m) => m.symbol);
  const run: SimulateResult = await bs.simulate(scenario);
  const adlBand: [number, number] = run.adl_probability_ci95;
  const markets: number[] = (run.markets ?? []).map((m) => m.share_of_bad_debt);
  const fit: number | undefined = run.analytic?.fit.premium_per_day;
  console.log(treasury, perMarket, adlBand, markets, fit, run.time_to_depletion_days.never);
  // @ts-expect-error results have no catch-all: a misspelt field does not compile
  run.depletion_probabilty;

  // Scenario sections are typed from the schema: a misspelt section or field does not compile,
  // comment keys (_x, $x, notes) do.
  const typed: Scenario = {
    _comment: 'a comment', notes: ['anything'],
    market: { mark_price: 100, maintenance_margin_rate: 0.005 },
    fund: { balance: 1e6, scope: 'shared' },
    policy: { preset: 'drift', stages: ['insurance_fund', 'fee_pool', 'socialized_loss'] },
    price_model: { kind: 'merton' },
  };
  // @ts-expect-error misspelt section
  const typo: Scenario = { markt: { mark_price: 100 } };
  // @ts-expect-error misspelt field inside a section
  const typo2: Scenario = { fund: { balanc: 1 } };
  // @ts-expect-error not a policy preset
  const typo3: Scenario = { policy: { preset: 'bitmax' } };
  // @ts-expect-error a number where the schema says number
  const typo4: Scenario = { simulation: { paths: '1000' } };
  console.log(typed, typo, typo2, typo3, typo4);

  // @ts-expect-error not an error code
  const bad: BackstopErrorCode = 'oops';
  // @ts-expect-error validate's result has no result member
  bs.validate(scenario).result;
  return bad.length;
}

void main;
