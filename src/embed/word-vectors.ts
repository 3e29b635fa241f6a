/**
 * The shipped word-vector format (little-endian): "ASTVEC01", u32 header length, a UTF-8 JSON
 * header {format, encoding, count, dimensions, source, licence, words}, zero padding to a
 * multiple of 4, then `count` float32 scales and `count * dimensions` int8 values
 * (value = int8 * scale). Rows keep the source's order (GloVe: frequency rank).
 */
const MAGIC = 'ASTVEC01'
const ENCODING = 'int8-per-vector-scale'

export interface WordVectors {
  words: string[]
  dimensions: number
  /** words.length * dimensions values; row i belongs to words[i]. */
  values: Float32Array
}

export interface WordVectorProvenance {
  source: string
  licence: string
}

export function encodeWordVectors(vectors: WordVectors, provenance: WordVectorProvenance): Buffer {
  const { words, dimensions, values } = vectors
  const count = words.length
  const header = Buffer.from(
    JSON.stringify({ format: 'asteria-word-vectors', encoding: ENCODING, count, dimensions, ...provenance, words }),
    'utf8',
  )
  const start = alignTo4(12 + header.length)
  const out = Buffer.alloc(start + count * 4 + count * dimensions)
  out.write(MAGIC, 0, 'latin1')
  out.writeUInt32LE(header.length, 8)
  header.copy(out, 12)
  const quantised = new Int8Array(out.buffer, out.byteOffset + start + count * 4, count * dimensions)
  for (let i = 0; i < count; i++) {
    const row = values.subarray(i * dimensions, (i + 1) * dimensions)
    const maxAbs = row.reduce((m, x) => Math.max(m, Math.abs(x)), 0)
    const scale = maxAbs === 0 ? 1 : maxAbs / 127
    out.writeFloatLE(scale, start + i * 4)
    for (let d = 0; d < dimensions; d++) quantised[i * dimensions + d] = Math.round(row[d] / scale)
  }
  return out
}

export function decodeWordVectors(bytes: Uint8Array): WordVectors {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.toString('latin1', 0, 8) !== MAGIC) throw new Error('not an Asteria word-vector file (bad magic)')
  const headerLength = buf.readUInt32LE(8)
  const header = JSON.parse(buf.toString('utf8', 12, 12 + headerLength)) as {
    encoding: string
    count: number
    dimensions: number
    words: string[]
  }
  if (header.encoding !== ENCODING) throw new Error(`unknown word-vector encoding "${header.encoding}"`)
  const { count, dimensions, words } = header
  const start = alignTo4(12 + headerLength)
  // Copy: the Buffer may come from Node's shared pool, so its offset need not be aligned.
  const quantised = new Int8Array(buf.subarray(start + count * 4, start + count * 4 + count * dimensions))
  const values = new Float32Array(count * dimensions)
  for (let i = 0; i < count; i++) {
    const scale = buf.readFloatLE(start + i * 4)
    for (let d = 0; d < dimensions; d++) values[i * dimensions + d] = quantised[i * dimensions + d] * scale
  }
  return { words, dimensions, values }
}

function alignTo4(n: number): number {
  return n + ((4 - (n % 4)) % 4)
}
