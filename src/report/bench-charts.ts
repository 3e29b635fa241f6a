import type { BenchResult } from '../bench/bench-result.js'

/** A Vega-Lite spec (kept loose: vega-lite validates it when compiling). */
export type ChartSpec = Record<string, unknown>

export interface BenchChart {
  id: string
  title: string
  /** What the picture shows and how to read it. */
  caption: string
  spec: ChartSpec
}

const VARIANTS = ['none', 'exact', 'threshold', 'asteria', 'oracle']
const COLORS = ['#8c8c8c', '#e6a23c', '#d9534f', '#2a7ae2', '#3c9d5d']
const color = (title = 'variant') => ({ field: 'variant', type: 'nominal', title, scale: { domain: VARIANTS, range: COLORS } })
const base = (values: unknown[]): ChartSpec => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 520,
  height: 280,
  data: { values },
  config: { font: 'Helvetica, Arial, sans-serif', view: { stroke: null } },
})

/** The report's charts, each a Vega-Lite spec over the result's numbers. */
export function benchCharts(result: BenchResult): BenchChart[] {
  return [precisionRecall(result), hitAndFalseHitRates(result), latencyDistribution(result), hitRateOverTime(result), cost(result)]
}

function precisionRecall(result: BenchResult): BenchChart {
  const curve = (variant: string) =>
    result.curves[variant as 'threshold' | 'asteria']
      .filter((p) => p.precision !== null && p.recall !== null)
      .map((p) => ({ variant, tau: p.tauSim, recall: p.recall, precision: p.precision, label: `τ ${p.tauSim}` }))
  const points = result.variants
    .filter((v) => v.metrics.falseHitRate !== null && v.metrics.oracleShare !== null)
    .map((v) => ({ variant: v.name, recall: v.metrics.oracleShare, precision: 1 - v.metrics.falseHitRate!, label: v.tauSim === null ? v.name : `${v.name} τ ${v.tauSim}` }))
  const lines = [...curve('threshold'), ...curve('asteria')]
  const x = { field: 'recall', type: 'quantitative', title: "recall: correct hits as a share of the oracle's", scale: { zero: false, padding: 12 } }
  const y = { field: 'precision', type: 'quantitative', title: 'precision: 1 − false-hit rate', scale: { zero: false, padding: 12 } }
  return {
    id: 'precision-recall',
    title: 'Precision and recall along tau_sim',
    caption:
      'Each line is one semantic variant replayed at every tau_sim of the grid (labels); up and to the right is better. ' +
      'Large dots are the variants as configured (threshold at 0.8, Asteria at its default), exact match and the oracle.',
    spec: {
      ...base([]),
      layer: [
        { data: { values: lines }, mark: { type: 'line', point: true }, encoding: { x, y, color: color(), order: { field: 'tau', type: 'quantitative' } } },
        { data: { values: lines }, mark: { type: 'text', dx: 4, dy: -7, fontSize: 9, align: 'left' }, encoding: { x, y, text: { field: 'label' }, color: color() } },
        { data: { values: points }, mark: { type: 'point', filled: true, size: 140, opacity: 0.9 }, encoding: { x, y, color: color(), shape: { field: 'variant', type: 'nominal', legend: null } } },
      ],
    },
  }
}

function hitAndFalseHitRates(result: BenchResult): BenchChart {
  const values = result.variants.flatMap((v) => [
    { variant: v.name, measure: 'hit rate', value: v.metrics.hitRate },
    ...(v.metrics.falseHitRate === null ? [] : [{ variant: v.name, measure: 'false-hit rate', value: v.metrics.falseHitRate }]),
  ])
  return {
    id: 'hit-rates',
    title: 'Hit rate and false-hit rate per variant',
    caption: 'Left bar of each pair: hit rate (hits / requests). Right bar: false-hit rate (wrong hits / hits), judged by gold intents. Threshold-only at 0.8, Asteria as configured.',
    spec: {
      ...base(values),
      mark: 'bar',
      encoding: {
        x: { field: 'variant', type: 'nominal', sort: VARIANTS, title: null, axis: { labelAngle: 0 } },
        xOffset: { field: 'measure', type: 'nominal', sort: ['hit rate', 'false-hit rate'] },
        y: { field: 'value', type: 'quantitative', title: 'share', axis: { format: '%' } },
        color: { field: 'measure', type: 'nominal', title: 'measure', sort: ['hit rate', 'false-hit rate'], scale: { range: ['#2a7ae2', '#d9534f'] } },
      },
    },
  }
}

function latencyDistribution(result: BenchResult): BenchChart {
  const values = result.variants.flatMap((v) => v.series.latencyQuantiles.map((q) => ({ variant: v.name, quantile: q.quantile, ms: q.ms })))
  return {
    id: 'latency',
    title: 'Request latency distribution',
    caption: `Share of requests answered within a given time (${result.settings.clock} time; symmetric-log axis). Hits answer in milliseconds, misses wait for the remote call (${result.settings.remoteLatencyMs.join('–')} ms), coalesced requests for the call they joined.`,
    spec: {
      ...base(values),
      mark: { type: 'line', interpolate: 'step-after', point: true },
      encoding: {
        x: { field: 'ms', type: 'quantitative', title: 'latency, ms', scale: { type: 'symlog' } },
        y: { field: 'quantile', type: 'quantitative', title: 'share of requests', axis: { format: '%' } },
        color: color(),
      },
    },
  }
}

function hitRateOverTime(result: BenchResult): BenchChart {
  const values = result.variants.flatMap((v) => v.series.hitRateOverTime.map((s) => ({ variant: v.name, seconds: s.endSec, hitRate: s.hitRate })))
  return {
    id: 'hit-rate-over-time',
    title: 'Hit rate over time',
    caption: 'Hit rate of the requests arriving in each twentieth of the run: every cache starts empty and warms up as popular questions repeat.',
    spec: {
      ...base(values),
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'seconds', type: 'quantitative', title: `${result.settings.clock} time, s` },
        y: { field: 'hitRate', type: 'quantitative', title: 'hit rate', axis: { format: '%' } },
        color: color(),
      },
    },
  }
}

function cost(result: BenchResult): BenchChart {
  const values = result.variants.map((v) => ({ variant: v.name, costUsd: v.metrics.costUsd, label: `${v.metrics.remoteCalls} calls, $${v.metrics.costUsd.toFixed(2)}` }))
  const x = { field: 'variant', type: 'nominal', sort: VARIANTS, title: null, axis: { labelAngle: 0 } }
  const y = { field: 'costUsd', type: 'quantitative', title: 'remote cost, US$' }
  return {
    id: 'cost',
    title: 'Remote calls and their cost',
    caption: `What each variant paid the knowledge source at $${result.settings.priceUsdPerCall} per call; every hit or coalesced request is a call not made.`,
    spec: {
      ...base(values),
      layer: [
        { mark: 'bar', encoding: { x, y, color: { ...color(), legend: null } } },
        { mark: { type: 'text', dy: -6, fontSize: 10 }, encoding: { x, y, text: { field: 'label' } } },
      ],
    },
  }
}
