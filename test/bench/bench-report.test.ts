import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { BenchResult } from '../../src/bench/bench-result.js'
import { runBench } from '../../src/bench/run-bench.js'
import { defaultConfig } from '../../src/config/config.js'
import { loadStaticEmbedder } from '../../src/embed/static-embedder.js'
import { benchCharts } from '../../src/report/bench-charts.js'
import { benchReportHtml, renderChartSvg, writeBenchReport } from '../../src/report/bench-html.js'
import { formatBenchTable } from '../../src/report/bench-table.js'
import { useTempDirs } from '../helpers/temp-dir.js'
import { echoSource, traceOf } from './bench-fixtures.js'

const CHROMIUM = '/usr/bin/chromium'
const CHART_IDS = ['precision-recall', 'hit-rates', 'latency', 'hit-rate-over-time', 'cost']
const tempDir = useTempDirs()

let result: BenchResult

beforeAll(async () => {
  const questions = [['who wrote hamlet', 'h'], ['author of hamlet', 'h'], ['what is dna', 'd'], ['who wrote hamlet', 'h'], ['What is DNA?', 'd'], ['who wrote macbeth', 'm']]
  const requests = traceOf(Array.from({ length: 24 }, (_, i) => ({ session: `s${i % 4}`, query: questions[i % 6][0], intent: questions[i % 6][1], answers: ['answer'] })))
  result = await runBench({
    trace: { name: 'report <test>', requests }, config: defaultConfig({}), embedder: loadStaticEmbedder(),
    workers: 3, openLoop: false, realTime: false, seed: 1, quick: true, source: echoSource(),
  })
})

describe('benchReportHtml', () => {
  it('is one self-contained page: the table, the headline, and five charts as inline SVG', async () => {
    // Given a bench result
    // When the report is rendered
    const html = await benchReportHtml(result)
    // Then every chart is an inline SVG with data marks, nothing is loaded from elsewhere, and text is escaped
    for (const id of CHART_IDS) expect(html).toMatch(new RegExp(`<figure id="${id}"><h2>[^<]+</h2><svg[^>]*class="marks"`))
    expect(html).not.toMatch(/<script|<link|src="http|href="http/)
    expect(html).toContain('asteria bench: report &#60;test&#62;')
    expect(html).toContain('At matched false-hit rates')
    expect((html.match(/role-mark/g) ?? []).length).toBeGreaterThanOrEqual(CHART_IDS.length)
  })

  it('draws each chart from data with Vega-Lite', async () => {
    const charts = benchCharts(result)
    expect(charts.map((c) => c.id)).toEqual(CHART_IDS)
    const svg = await renderChartSvg(charts[1].spec)
    expect(svg).toMatch(/class="mark-rect role-mark/)
  })
})

describe('formatBenchTable', () => {
  it('shows one row per variant, the modelled throughput and the headline', () => {
    const text = formatBenchTable(result)
    for (const name of ['none', 'exact', 'threshold', 'asteria', 'oracle']) expect(text).toMatch(new RegExp(`^${name}\\s`, 'm'))
    expect(text).toContain('req/s is modelled')
    expect(text).toContain('At matched false-hit rates')
  })
})

describe('the HTML report in a browser', () => {
  const absent = existsSync(CHROMIUM) ? '' : ` (skipped: ${CHROMIUM} is absent; apt-get install chromium)`
  it.skipIf(absent !== '')(`renders every chart with visible marks in headless Chromium${absent}`, async () => {
    // Given the report written to a file
    const file = join(tempDir(), 'report.html')
    await writeBenchReport(result, file)
    expect(readFileSync(file, 'utf8')).toContain('<!doctype html>')
    const { chromium } = await import('playwright-core')
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    try {
      // When a browser opens it
      const page = await browser.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(`file://${file}`)
      // Then each figure holds an SVG whose data marks take up space on the page
      const figures = await page.$$eval('figure', (nodes) =>
        nodes.map((figure) => {
          const marks = [...figure.querySelectorAll('svg g.role-mark > path, svg g.role-mark > text')] as unknown as { getBBox(): { width: number; height: number } }[]
          const box = figure.querySelector('svg')!.getBoundingClientRect()
          return { id: figure.id, marks: marks.length, drawn: marks.filter((m) => { const b = m.getBBox(); return b.width > 0 || b.height > 0 }).length, width: box.width, height: box.height }
        }),
      )
      expect(figures.map((f) => f.id)).toEqual(CHART_IDS)
      for (const f of figures) {
        expect(f.drawn, f.id).toBeGreaterThan(0)
        expect(f.width, f.id).toBeGreaterThan(200)
        expect(f.height, f.id).toBeGreaterThan(150)
      }
      expect(errors).toEqual([])
    } finally {
      await browser.close()
    }
  })
})
