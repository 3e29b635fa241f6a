import { writeFileSync } from 'node:fs'
import type { BenchResult } from '../bench/bench-result.js'
import { benchCharts, type ChartSpec } from './bench-charts.js'

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`)

/** Renders a Vega-Lite spec to SVG text in Node (no browser, no canvas). */
export async function renderChartSvg(spec: ChartSpec): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')])
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}

/** A self-contained HTML page: the table, the headline, and the charts as inline SVG. */
export async function benchReportHtml(result: BenchResult): Promise<string> {
  const charts = benchCharts(result)
  const figures = await Promise.all(
    charts.map(async (chart) => `<figure id="${chart.id}"><h2>${escape(chart.title)}</h2>${await renderChartSvg(chart.spec)}<figcaption>${escape(chart.caption)}</figcaption></figure>`),
  )
  const rows = result.variants
    .map((v) => {
      const m = v.metrics
      const cells = [
        v.name, v.tauSim ?? '', pct(m.hitRate), m.hitsBeyondExactRepeats, pct(m.falseHitRate), m.wrongAnswersPer1000?.toFixed(1) ?? 'n/a', pct(m.oracleShare),
        pct(m.answerAccuracy), m.remoteCalls, `$${m.costUsd.toFixed(2)}`, m.coalesced, m.latencyP50Ms.toFixed(1), m.latencyP95Ms.toFixed(1), m.throughputRps.toFixed(1), m.judgeCalls,
      ]
      return `<tr title="${escape(v.description)}">${cells.map((c) => `<td>${escape(String(c))}</td>`).join('')}</tr>`
    })
    .join('\n')
  const { trace, settings } = result
  const headers = ['variant', 'tau', 'hit rate', 'beyond exact', 'false hits', 'wrong/1k', 'of oracle', 'accuracy', 'remote', 'cost', 'coalesced', 'p50 ms', 'p95 ms', `req/s (${settings.throughput})`, 'judge']
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>asteria bench: ${escape(trace.name)}</title>
<style>
body{font-family:Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
table{border-collapse:collapse;font-size:.85rem}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}figure{display:inline-block;vertical-align:top;margin:1rem 1rem 1rem 0;max-width:620px}
figcaption{font-size:.8rem;color:#555}h2{font-size:1rem}.note{color:#666;font-size:.85rem}
</style></head><body>
<h1>asteria bench: ${escape(trace.name)}</h1>
<p>${trace.requests} requests in ${trace.sessions} sessions (${trace.distinctIntents} intents, ${trace.distinctWordings} distinct wordings);
${settings.mode === 'closed-loop' ? `closed loop of ${settings.workers} workers` : 'open loop (t_ms arrivals)'}, ${settings.clock === 'simulated' ? 'simulated clock' : 'real time'};
remote ${settings.remoteLatencyMs.join('–')} ms at $${settings.priceUsdPerCall} per call;
embedder ${escape(settings.embedder)}, judge ${escape(settings.judge)}.</p>
<table><thead><tr>${headers.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>
${rows}
</tbody></table>
${result.headline ? `<h2>At matched false-hit rates</h2><ul>${result.headline.summary.map((s) => `<li>${escape(s)}</li>`).join('')}</ul>` : ''}
${result.notes.map((n) => `<p class="note">${escape(n)}</p>`).join('\n')}
${figures.join('\n')}
</body></html>
`
}

export async function writeBenchReport(result: BenchResult, path: string): Promise<void> {
  writeFileSync(path, await benchReportHtml(result))
}
