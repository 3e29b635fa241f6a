import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { useCliSandbox } from './helpers/run-cli.js'

const PROJECT = fileURLToPath(new URL('..', import.meta.url))
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

/** Lines of the README's code: fenced blocks and 4-space indented blocks (what a user copies). */
function codeLines(markdown: string): string[] {
  const lines: string[] = []
  let fenced = false
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced
    else if (fenced || line.startsWith('    ')) lines.push(line)
  }
  return lines
}

/** The block of shell commands under a README heading. */
function commandsUnder(heading: string): string[] {
  const section = README.slice(README.indexOf(`\n${heading}\n`))
  const block = section.slice(section.indexOf('```sh\n') + 6)
  return block.slice(0, block.indexOf('```')).trimEnd().split('\n')
}

describe('the README, as a new user reads it after npm ci', () => {
  const cli = useCliSandbox()

  it('writes every command it shows as `npx asteria`, since a fresh clone has no `asteria` on PATH', () => {
    // Given every code line that starts the CLI (at a line start, after a pipe, or after VAR=value)
    const invocations = codeLines(README).flatMap((line) => [...line.matchAll(/(^|[|;&]\s*|^[A-Z_]+=\S+\s+|^\s+)(npx )?asteria (?=[a-z-])/g)])
    // Then there are many, and each goes through npx
    expect(invocations.length).toBeGreaterThan(30)
    expect(invocations.filter((m) => m[2] === undefined).map((m) => m.input)).toEqual([])
  })

  it('runs the first lines of "Using it" verbatim from the project folder', async () => {
    // Given the first two commands of "Using it": a question, then its paraphrase with --json
    const [ask, paraphrase] = commandsUnder('## Using it')
    expect(ask).toBe('npx asteria query "who wrote the declaration of independence"')

    // When they are run as typed, in the project folder (npx resolves the package first; the first
    // question builds the corpus index: seconds alone, longer beside other test files, so a wide margin)
    const first = await cli.shell(ask, { cwd: PROJECT, timeoutMs: 240_000 })
    const second = await cli.shell(paraphrase, { cwd: PROJECT, timeoutMs: 240_000 })

    // Then the first asks the source and the second is a hit, and npx added nothing to either output
    expect(first).toMatchObject({ exitCode: 0, stderr: '' })
    expect(first.stdout).toMatch(/^MISS/)
    expect(second).toMatchObject({ exitCode: 0, stderr: '' })
    expect(JSON.parse(second.stdout)).toMatchObject({ hit: true, source: 'cache' })
  }, 600_000)
})

describe('npm ci on npm 11', () => {
  // npm 11 lists dependencies whose install scripts its allowScripts policy does not cover.
  const listed = spawnSync('npm', ['install-scripts', 'ls', '--json'], { cwd: PROJECT, encoding: 'utf8' })

  it.skipIf(listed.status !== 0)('leaves no install script unreviewed: only better-sqlite3 and esbuild run one, and package.json allows both', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { allowScripts: Record<string, boolean> }
    expect(pkg.allowScripts).toEqual({ 'better-sqlite3': true, esbuild: true })
    expect(JSON.parse(listed.stdout)).toEqual({ allowScripts: [] })
  })
})
