// Types of the package's "./calculator" entry (dist/web/lib/backstop-calculator.js): importing it
// defines <backstop-calculator> (once, however often it is imported). The element is documented
// on its class in web/widget/backstop-calculator.js.
import type { BackstopErrorCode, CalibrationResult, FieldError, Scenario, SimulateResult, StressResult, SweepResult } from '../../wasm/backstop.js';

export interface CalculatorResultDetail {
  scenario: Scenario;
  result: SimulateResult;
  stress: StressResult | null;
  /** True for the proposed side of an A/B comparison. */
  proposed: boolean;
}

export interface CalculatorSweepDetail {
  scenario: Scenario;
  result: SweepResult;
}

/** A price CSV dropped, picked or pasted on the "Bring your own market" card was fitted. */
export interface CalculatorCalibrateDetail {
  result: CalibrationResult;
}

export interface CalculatorErrorDetail {
  code: BackstopErrorCode;
  message: string;
  pointer: string;
  errors: FieldError[];
}

/** The element's own events (its `error` is a CustomEvent, not the DOM's ErrorEvent). */
export interface BackstopCalculatorEventMap {
  result: CustomEvent<CalculatorResultDetail>;
  sweep: CustomEvent<CalculatorSweepDetail>;
  calibrate: CustomEvent<CalculatorCalibrateDetail>;
  error: CustomEvent<CalculatorErrorDetail>;
}

export class BackstopCalculator extends HTMLElement {
  /** Key of a bundled scenario (`default`, `btc-large-venue`, ...). */
  preset: string | undefined;
  /** The scenario (attribute: JSON text). */
  scenario: Scenario | null;
  mode: 'full' | 'compact';
  /** Monte Carlo paths, overriding the scenario's simulation.paths. */
  paths: number | undefined;
  seed: number | undefined;
  /** Read the scenario from, and write it to, the page's URL fragment. */
  permalink: boolean;
  /** Compact mode: link target of "Open in calculator". */
  calculatorUrl: string | undefined;
  /** Reflected as an attribute, e.g. `[state="done"]` once the full run has finished; `pending` while an edit waits for its run. */
  readonly state: 'loading' | 'pending' | 'invalid' | 'quick' | 'running' | 'done' | 'cancelled' | 'error';
  /** Reflected: the numbers on screen belong to earlier inputs (an edit is pending or the inputs are invalid). */
  readonly stale: boolean;
  /**
   * The shareable link of the current state (docs/outputs.md#permalinks), as of the last update.
   * The link is written by code fetched on first use: await `permalinkReady` before the first call.
   */
  permalinkUrl(): string;
  /**
   * Resolves once permalinkUrl() reflects the latest state (links are compressed asynchronously);
   * rejects when the code that writes links cannot be fetched (the next call tries again).
   */
  readonly permalinkReady: Promise<void>;
  /**
   * The parameters and results as Markdown, with the permalink. Asynchronous: the report module
   * is in the full wasm module, which the first export loads.
   */
  toMarkdown(): Promise<string>;
  addEventListener<K extends keyof BackstopCalculatorEventMap>(type: K,
    listener: (this: BackstopCalculator, ev: BackstopCalculatorEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

/** Defines the element under `name` unless that name is taken; returns the class registered there. */
export function define(name?: string): CustomElementConstructor;

declare global {
  interface HTMLElementTagNameMap {
    'backstop-calculator': BackstopCalculator;
  }
}
