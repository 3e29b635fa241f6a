// The import graph of src/: circles, imports out of core, oversized files and SQL outside the store.
// `npx tsx scripts/import-graph.ts` prints the counts; test/architecture/import-graph.test.ts fails on any violation.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

export interface ImportGraph {
  root: string
  files: string[]
  edges: Map<string, Set<string>>
  lines: Map<string, number>
}

export interface GraphReport {
  filesPerFolder: Record<string, number>
  circles: string[][]
  /** Circles between folders (a file in the root of src counts as its own folder). */
  folderCircles: string[][]
  upwardImports: string[]
  longFiles: string[]
  longCommands: string[]
  sqlOutsideStore: string[]
}

export const FILE_LINE_LIMIT = 300
export const COMMAND_LINE_LIMIT = 60
const SQL = /\b(SELECT\s|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE|CREATE VIRTUAL TABLE|PRAGMA \w)/

function listSources(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...listSources(path))
    else if (/\.(ts|mts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(path)
  }
  return out
}

function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined
  const base = resolve(dirname(from), specifier)
  const stem = base.replace(/\.(js|mjs|ts)$/, '')
  for (const candidate of [`${stem}.ts`, `${stem}.mts`, `${stem}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(candidate)) return candidate
  }
  return undefined
}

/** Every relative import (value, type-only, re-export and dynamic) between files under `root`. */
export function readImportGraph(root: string): ImportGraph {
  const files = listSources(root).map((f) => relative(root, f).split(sep).join('/')).sort()
  const edges = new Map<string, Set<string>>()
  const lines = new Map<string, number>()
  for (const file of files) {
    const path = join(root, file)
    const text = readFileSync(path, 'utf8')
    lines.set(file, text.split('\n').length - (text.endsWith('\n') ? 1 : 0))
    const targets = new Set<string>()
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      const target = resolveSpecifier(path, ref.fileName)
      if (target) targets.add(relative(root, target).split(sep).join('/'))
    }
    edges.set(file, targets)
  }
  return { root, files, edges, lines }
}

/** Strongly connected components of more than one file (or a file importing itself). */
export function findCircles(graph: Pick<ImportGraph, 'files' | 'edges'>): string[][] {
  let index = 0
  const indices = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const circles: string[][] = []
  const visit = (v: string): void => {
    indices.set(v, index)
    low.set(v, index++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.edges.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!))
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1 || graph.edges.get(v)?.has(v)) circles.push(component.sort())
    }
  }
  for (const file of graph.files) if (!indices.has(file)) visit(file)
  return circles
}

const topFolder = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '.')

/** The graph of top folders of src; each file in src's root is a node of its own (index.ts re-exports every folder). */
function folderGraph(graph: ImportGraph): Pick<ImportGraph, 'files' | 'edges'> {
  const node = (file: string): string => (file.includes('/') ? `${topFolder(file)}/` : file)
  const edges = new Map<string, Set<string>>()
  for (const [from, targets] of graph.edges) {
    const set = edges.get(node(from)) ?? new Set<string>()
    for (const to of targets) if (node(to) !== node(from)) set.add(node(to))
    edges.set(node(from), set)
  }
  return { files: [...edges.keys()].sort(), edges }
}

/** The whole check: every list is empty in a house in order. */
export function checkImportGraph(root: string): GraphReport {
  const graph = readImportGraph(root)
  const filesPerFolder: Record<string, number> = {}
  for (const file of graph.files) {
    const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.'
    filesPerFolder[folder] = (filesPerFolder[folder] ?? 0) + 1
  }
  const upwardImports: string[] = []
  for (const [from, targets] of graph.edges) {
    if (topFolder(from) !== 'core') continue
    for (const to of targets) if (topFolder(to) !== 'core') upwardImports.push(`${from} -> ${to}`)
  }
  const longFiles = graph.files.filter((f) => graph.lines.get(f)! > FILE_LINE_LIMIT).map((f) => `${f} (${graph.lines.get(f)})`)
  const longCommands = graph.files
    .filter((f) => f.startsWith('commands/') && graph.lines.get(f)! > COMMAND_LINE_LIMIT)
    .map((f) => `${f} (${graph.lines.get(f)})`)
  const sqlOutsideStore = graph.files.filter(
    (f) => topFolder(f) !== 'store' && SQL.test(readFileSync(join(root, f), 'utf8')),
  )
  return { filesPerFolder, circles: findCircles(graph), folderCircles: findCircles(folderGraph(graph)), upwardImports, longFiles, longCommands, sqlOutsideStore }
}

function printReport(report: GraphReport): void {
  const folders = Object.entries(report.filesPerFolder).sort(([a], [b]) => a.localeCompare(b))
  console.log('files per folder:')
  for (const [folder, count] of folders) console.log(`  ${folder.padEnd(28)} ${count}`)
  const total = folders.reduce((sum, [, n]) => sum + n, 0)
  console.log(`  ${'(total)'.padEnd(28)} ${total}`)
  const list = (title: string, items: string[]): void => {
    console.log(`${title}: ${items.length}`)
    for (const item of items) console.log(`  ${item}`)
  }
  list('import circles', report.circles.map((c) => `${c.length} files: ${c.join(', ')}`))
  list('folder circles', report.folderCircles.map((c) => c.join(' <-> ')))
  list('upward imports (core -> other folders)', report.upwardImports)
  list(`files over ${FILE_LINE_LIMIT} lines`, report.longFiles)
  list(`commands over ${COMMAND_LINE_LIMIT} lines`, report.longCommands)
  list('SQL outside src/store', report.sqlOutsideStore)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  printReport(checkImportGraph(resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src')))
}
