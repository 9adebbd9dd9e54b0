// Measures simulate in the page's thread and in warm pools of 1 and 2 Web Workers on the
// benchmark scenario; results go to #report and window.poolBench (read by tests/e2e/pool.test.mjs).
import { createBackstop, createPool } from '../wasm/backstop.mjs';
import scenario from '../bench/scenarios/btc-30d.json';

const params = new URLSearchParams(location.search);
const paths = Number(params.get('paths') || scenario.simulation.paths);
const repeats = Number(params.get('repeats') || 2);
const report = document.getElementById('report');
const progress = document.getElementById('progress');

async function best(run) {
  let seconds = Infinity, result;
  for (let i = 0; i < repeats; ++i) {
    const t = performance.now();
    result = await run();
    seconds = Math.min(seconds, (performance.now() - t) / 1000);
  }
  return { seconds, result };
}

async function main() {
  const bs = await createBackstop();
  const steps = scenario.simulation.horizon_days * scenario.simulation.steps_per_day;
  const warm = { paths: Math.max(50, Math.round(paths / 10)), seed: 99 };
  await bs.simulate(scenario, warm);  // V8 tiers up a long function after its first call
  const page = await best(() => bs.simulate(scenario, { paths }));
  const out = { paths, steps, cores: navigator.hardwareConcurrency, userAgent: navigator.userAgent, page: page.seconds };
  for (const n of [1, 2]) {
    const pool = createPool(n);
    await bs.simulate(scenario, { ...warm, pool });  // start and warm every worker
    const run = await best(() => bs.simulate(scenario, { paths, pool, onProgress: (f) => { progress.value = f; } }));
    pool.terminate();
    out[`pool${n}`] = run.seconds;
    out[`identical${n}`] = JSON.stringify(run.result) === JSON.stringify(page.result);
  }
  out.speedup = out.pool1 / out.pool2;
  out.depletion = page.result.depletion_probability.estimate;
  const rate = (s) => `${(paths * steps / s / 1e6).toFixed(2)} M path-steps/s`;
  report.textContent = [
    `${paths} paths × ${steps} steps, ${out.cores} logical cores`,
    `page thread : ${out.page.toFixed(3)} s  ${rate(out.page)}`,
    `pool of 1   : ${out.pool1.toFixed(3)} s  ${rate(out.pool1)}  identical: ${out.identical1}`,
    `pool of 2   : ${out.pool2.toFixed(3)} s  ${rate(out.pool2)}  identical: ${out.identical2}`,
    `speed-up 2 workers vs 1: ${out.speedup.toFixed(2)}x`,
  ].join('\n');
  window.poolBench = out;
  document.body.dataset.done = 'true';
}

main().catch((e) => {
  report.textContent = `failed: ${e.code ?? ''} ${e.message}`;
  window.poolBench = { error: String(e.message) };
  document.body.dataset.done = 'true';
});
