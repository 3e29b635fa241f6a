import { fstatSync, openSync, readSync } from 'node:fs'

const NEWLINE = 0x0a

/**
 * One WordNet database file, read a line at a time where it is needed, as WordNet's own library
 * reads it: a data file by the byte offset a synset is known by, an index file by binary search.
 * The file stays open for the process's life, as the whole files were kept before.
 * Reading the files whole instead cost a `query` ~180 ms (data.noun alone is 15 MB).
 */
export class WordNetFile {
  private readonly fd: number
  private readonly size: number

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r')
    this.size = fstatSync(this.fd).size
  }

  /** The line that holds byte `position` (latin1, without its newline), and where it starts and ends. */
  lineAt(position: number): { start: number; end: number; text: string } {
    for (let reach = 1024; ; reach *= 4) {
      const from = Math.max(0, position - reach)
      const to = Math.min(this.size, position + reach)
      const bytes = Buffer.allocUnsafe(to - from)
      const read = readSync(this.fd, bytes, 0, bytes.length, from)
      const at = position - from
      const before = at === 0 ? -1 : bytes.lastIndexOf(NEWLINE, at - 1)
      const after = bytes.indexOf(NEWLINE, at)
      if ((before !== -1 || from === 0) && (after !== -1 || to === this.size) && after < read) {
        const start = before + 1
        const end = after === -1 ? read : after
        return { start: from + start, end: from + end, text: bytes.toString('latin1', start, end) }
      }
    }
  }

  /**
   * The line of a sorted index file whose first word is `key`, by binary search (the licence
   * header's lines start with a space and are stepped over).
   */
  find(key: string): string | undefined {
    let low = 0
    let high = this.size
    while (low < high) {
      const { start, end, text } = this.lineAt((low + high) >>> 1)
      if (text.startsWith(' ')) {
        low = end + 1
        continue
      }
      const first = text.slice(0, text.indexOf(' '))
      if (first === key) return text
      if (first < key) low = end + 1
      else high = start
    }
    return undefined
  }
}
