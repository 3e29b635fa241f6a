import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { errorText, useCliSandbox } from '../helpers/run-cli.js'

const DNA = 'what is dna'

describe('asteria cache export', () => {
  const cli = useCliSandbox()

  it('refuses --json without --output (exit 2) instead of writing an empty backup', async () => {
    // Given a cache holding one element
    await cli.json(['query', DNA])

    // When it is exported with --json and no --output, as `asteria cache export --json > backup.jsonl` does
    const run = await cli.run(['cache', 'export', '--json'])

    // Then it is a usage error that asks for --output, under --json as a JSON error, and nothing pretends to be a backup
    expect(run.exitCode).toBe(2)
    expect(JSON.parse(run.stdout)).toEqual({
      error: {
        code: 'BAD_INPUT',
        exitCode: 2,
        message: 'Expected --output FILE with --json (stdout carries the JSON summary), received no --output.',
        suggestions: ['asteria cache export --output backup.jsonl --json', 'Or, without --json, the elements go to stdout: asteria cache export > backup.jsonl'],
      },
    })
    expect(run.stderr).toBe('')
  })

  it('writes the elements to --output and the summary to stdout under --json; without --json, the JSON Lines go to stdout', async () => {
    // Given a cache holding one element
    await cli.json(['query', DNA])
    const file = join(cli.dir, 'backup.jsonl')

    // When it is exported to a file with --json, and to stdout without
    const [toFile, toStdout] = [await cli.run(['cache', 'export', '-o', file, '--json']), await cli.run(['cache', 'export'])]

    // Then the file and stdout hold the same element line, and the --json summary names the file
    expect(toFile.exitCode).toBe(0)
    expect(JSON.parse(toFile.stdout)).toEqual({ exported: 1, output: file })
    expect(toFile.stderr).toBe('')
    expect(toStdout.exitCode).toBe(0)
    expect(JSON.parse(toStdout.stdout.trimEnd())).toMatchObject({ query: DNA })
    expect(readFileSync(file, 'utf8')).toBe(toStdout.stdout)
    expect(errorText(toStdout.stderr)).toBe('')
  })
})
