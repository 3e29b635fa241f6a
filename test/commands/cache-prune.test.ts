import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CacheStats } from '../../src/core/admin/stats.js'
import { errorText, useCliSandbox } from '../helpers/run-cli.js'

interface PruneJson {
  before: { entries: number; bytes: number }
  after: { entries: number; bytes: number }
  evicted: number
  byReason: Record<string, number>
  elements: { id: number; query: string; reason: string }[]
}

const line = (query: string, costUsd: number, expiresAt = 4_000_000_000_000) =>
  JSON.stringify({ query, result: { documents: [{ id: query, text: query }] }, latencyMs: 400, costUsd, staticity: 7, createdAt: 1_000, expiresAt })

describe('asteria cache prune', () => {
  const cli = useCliSandbox()

  /** Imports one expired element and three live ones from sources of different prices. */
  async function seed() {
    const file = join(cli.dir, 'seed.jsonl')
    writeFileSync(file, [line('expired question', 0.05, 2_000), line('dear question', 0.05), line('mid question', 0.005), line('cheap question', 0.0005)].join('\n'))
    expect((await cli.run(['cache', 'import', file])).exitCode).toBe(0)
  }

  it('--max-entries evicts expired elements first, then the lowest LCFU value, and stats count them by reason', async () => {
    // Given four elements, one of them expired
    await seed()
    // When the cache is pruned to two elements
    const pruned = await cli.json<PruneJson>(['cache', 'prune', '--max-entries', '2'])
    // Then the expired one and the cheapest live one are gone, and the remaining two are the dearest
    expect(pruned).toMatchObject({ before: { entries: 4 }, after: { entries: 2 }, evicted: 2, byReason: { expired: 1, lcfu: 1, lru: 0, lfu: 0, manual: 0 } })
    expect(pruned.elements.map((e) => [e.query, e.reason])).toEqual([['expired question', 'expired'], ['cheap question', 'lcfu']])
    const { elements } = await cli.json<{ elements: { query: string }[] }>(['cache', 'inspect'])
    expect(elements.map((e) => e.query).sort()).toEqual(['dear question', 'mid question'])
    const stats = await cli.json<CacheStats>(['cache', 'stats'])
    expect(stats.evictions).toEqual({ expired: 1, lcfu: 1, lru: 0, lfu: 0, manual: 0, total: 2 })
  })

  it('without a budget removes only expired elements, and says so', async () => {
    await seed()
    const run = await cli.run(['cache', 'prune'])
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^Evicted 1 element \(1 expired\): 4 -> 3 elements, \d+ -> \d+ bytes\.$/m)
  })

  it('takes its budget from the environment, and a byte size with a unit', async () => {
    await seed()
    const byEnv = await cli.json<PruneJson>(['cache', 'prune'], { env: { ASTERIA_MAX_ENTRIES: '1', ASTERIA_EVICTION_POLICY: 'lru' } })
    expect(byEnv).toMatchObject({ after: { entries: 1 }, byReason: { expired: 1, lru: 2 } })
    const byBytes = await cli.json<PruneJson>(['cache', 'prune', '--max-bytes', '1KB'])
    expect(byBytes.evicted).toBe(0)
  })

  it('exits 2 on a budget that is not a positive whole number or an unknown policy', async () => {
    const zero = await cli.run(['cache', 'prune', '--max-entries', '0'])
    const size = await cli.run(['cache', 'prune', '--max-bytes', 'lots', '--json'])
    const policy = await cli.run(['cache', 'prune', '--policy', 'fifo'])
    expect(zero.exitCode).toBe(2)
    expect(errorText(zero.stderr)).toContain('Expected --max-entries to be a whole number of at least 1, received "0".')
    expect(size.exitCode).toBe(2)
    expect(JSON.parse(size.stdout).error).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('like 500000, 64KB, 10MB or 1GB') })
    expect(policy.exitCode).toBe(2)
  })
})
