import { describe, expect, it } from 'vitest'
import { IvfLayout, floatLayout, openLayoutDatabase, quantizedLayout, type VectorLayout } from '../../../../src/store/sqlite/vector-index/vector-layouts.js'

const DIMS = 32

/** Deterministic unit vectors in `topics` clusters, as embeddings of questions on a few topics look. */
function clustered(count: number, topics: number) {
  let seed = 12345
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32)
  const unit = (v: Float32Array) => {
    const n = Math.hypot(...v)
    return v.map((x) => x / n)
  }
  const centres = Array.from({ length: topics }, () => unit(Float32Array.from({ length: DIMS }, () => random() * 2 - 1)))
  const items = Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    vector: unit(centres[i % topics].map((x) => x + (random() * 2 - 1) * 0.15)),
  }))
  return { items, query: (i: number) => unit(items[i].vector.map((x) => x + (random() * 2 - 1) * 0.05)) }
}

function exactNearest(items: { id: number; vector: Float32Array }[], query: Float32Array, k: number): number[] {
  const cos = (a: Float32Array) => a.reduce((s, x, d) => s + x * query[d], 0)
  return items.map((item) => ({ id: item.id, s: cos(item.vector) })).sort((a, b) => b.s - a.s).slice(0, k).map((x) => x.id)
}

function recall(layout: VectorLayout, data: ReturnType<typeof clustered>, k = 10): number {
  let found = 0
  for (let q = 0; q < 20; q++) {
    const query = data.query(q * 37)
    const expected = new Set(exactNearest(data.items, query, k))
    found += layout.nearest(query, k).filter((n) => expected.has(n.id)).length
  }
  return found / (20 * k)
}

describe('vector layouts', () => {
  const data = clustered(1500, 12)

  it('float: brute force returns the exact nearest neighbours with cosine distances', () => {
    // Given 1,500 vectors in a float layout
    const db = openLayoutDatabase(':memory:')
    const layout = floatLayout(db, 'flat', DIMS)
    layout.add(data.items)
    // When a query near the 8th vector is looked up
    const query = data.query(7)
    const found = layout.nearest(query, 5)
    // Then it gets the exact top five, nearest first, with 1 - cosine as distance
    expect(found.map((n) => n.id)).toEqual(exactNearest(data.items, query, 5))
    expect(found[0].distance).toBeCloseTo(1 - data.items.find((i) => i.id === found[0].id)!.vector.reduce((s, x, d) => s + x * query[d], 0), 4)
    expect(found.map((n) => n.distance)).toEqual([...found.map((n) => n.distance)].sort((a, b) => a - b))
  })

  it.each(['bit', 'int8'] as const)('%s: a quantised prefilter rescored exactly finds (nearly) the same neighbours', (kind) => {
    const db = openLayoutDatabase(':memory:')
    const layout = quantizedLayout(db, `q_${kind}`, DIMS, { kind, oversample: 10 })
    layout.add(data.items)
    expect(layout.name).toBe(`${kind}x10`)
    expect(recall(layout, data)).toBeGreaterThanOrEqual(0.9)
    // rescoring gives exact distances, so the very nearest is right
    const query = data.query(3)
    expect(layout.nearest(query, 1)[0].id).toBe(exactNearest(data.items, query, 1)[0])
  })

  it.each(['float', 'bit'] as const)('ivf (%s lists): probing every list is exact; probing a few keeps recall high on clustered data', (inner) => {
    // Given an IVF layout trained on a sample, with all vectors added
    const db = openLayoutDatabase(':memory:')
    const ivf = new IvfLayout(db, `ivf_${inner}`, DIMS, inner, 64)
    let seed = 9
    ivf.train(data.items.slice(0, 600).map((i) => i.vector), 24, 5, () => ((seed = (Math.imul(seed, 48271) + 11) >>> 0) / 2 ** 32))
    const all = ivf.layout({ probes: 24, inner, oversample: 10 })
    all.add(data.items)
    const few = ivf.layout({ probes: 3, inner, oversample: 10 })
    // When looked up probing all 24 lists, or only 3
    // Then all lists give the exact answer and 3 lists nearly so
    expect(recall(all, data)).toBeGreaterThanOrEqual(inner === 'float' ? 1 : 0.9)
    expect(recall(few, data)).toBeGreaterThanOrEqual(0.85)
    expect(few.name).toBe(inner === 'float' ? 'ivf-float/24p3' : 'ivf-bitx10/24p3')
    // and each vector went to the list of its nearest centroid
    expect(ivf.nearestLists(data.items[0].vector, 3)).toHaveLength(3)
  })

  it('refuses table names that are not plain identifiers, and an untrained ivf', () => {
    const db = openLayoutDatabase(':memory:')
    expect(() => floatLayout(db, 'x; DROP TABLE y', DIMS)).toThrow('vector layout prefix must be a lower-case identifier')
    expect(() => new IvfLayout(db, 'ivf', DIMS, 'float').layout({ probes: 2, inner: 'float' })).toThrow('has no centroids')
    expect(() => new IvfLayout(db, 'ivf_odd', DIMS, 'float', 100)).toThrow('ivf chunk size must be a multiple of 8, got 100')
  })
})
