import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AsteriaError } from '../../src/core/errors.js'
import { authenticate, isLoopbackHost, loadTokens, parseTokenList, requireLoopbackHostHeader, requireSafeBinding, TokenTable } from '../../src/serve/auth.js'
import { ServeError } from '../../src/serve/serve-errors.js'
import { useTempDirs } from '../helpers/temp-dir.js'

const TOKEN_A = 'a'.repeat(16) + '-team-a-token'
const TOKEN_B = 'b'.repeat(16) + '+team/b=='

describe('parseTokenList', () => {
  it('reads token=namespace pairs, keeping base64 padding in the token', () => {
    // Given an ASTERIA_TOKENS value with spaces and a padded token
    // When it is parsed
    const tokens = parseTokenList(` ${TOKEN_A}=team-a , ${TOKEN_B}=team-b,`)

    // Then each token maps to its namespace
    expect(tokens).toEqual({ [TOKEN_A]: 'team-a', [TOKEN_B]: 'team-b' })
  })

  it.each([
    ['a pair without =', 'justatoken', 'not a token=namespace pair'],
    ['a pair without namespace', `${TOKEN_A}=`, 'not a token=namespace pair'],
    ['a repeated token', `${TOKEN_A}=x,${TOKEN_A}=y`, 'a repeated token'],
  ])('rejects %s without echoing the token', (_what, text, reason) => {
    // Given a malformed list
    // When it is parsed
    const parse = () => parseTokenList(text)

    // Then the error names the entry's problem, not its text
    expect(parse).toThrow(AsteriaError)
    expect(parse).toThrow(reason)
    expect(() => parse()).not.toThrow(TOKEN_A)
  })
})

describe('loadTokens', () => {
  const tempDir = useTempDirs()

  it('merges the token file and ASTERIA_TOKENS', () => {
    // Given a token file and a list naming another token
    const file = join(tempDir(), 'tokens.json')
    writeFileSync(file, JSON.stringify({ [TOKEN_A]: 'team-a' }))

    // When both are loaded
    const table = loadTokens({ file, list: `${TOKEN_B}=team-b` })

    // Then both tokens are known, each with its namespace
    expect(table.size).toBe(2)
    expect(table.namespaceOf(TOKEN_A)).toBe('team-a')
    expect(table.namespaceOf(TOKEN_B)).toBe('team-b')
    expect(table.namespaceOf('c'.repeat(20))).toBeUndefined()
  })

  it('refuses a token mapped to two namespaces', () => {
    // Given a token file and a list giving the same token another namespace
    const file = join(tempDir(), 'tokens.json')
    writeFileSync(file, JSON.stringify({ [TOKEN_A]: 'team-a' }))

    // When they are loaded
    // Then it is a configuration error
    expect(() => loadTokens({ file, list: `${TOKEN_A}=team-b` })).toThrow(/one namespace in the token file and to another/)
  })

  it.each([
    ['invalid JSON', `{"${TOKEN_A}": `, /not valid JSON/],
    ['an array', '[1]', /received an array/],
    ['a short token', '{"short": "team-a"}', /at least 16 characters.*received 5 characters/],
    ['a token with spaces', `{"${TOKEN_A} x": "team-a"}`, /with other characters/],
    ['a namespace that is not text', `{"${TOKEN_A}": 3}`, /namespace of token #1.*received 3/],
  ])('refuses a token file with %s, never quoting a token', (_what, text, message) => {
    // Given a bad token file
    const file = join(tempDir(), 'tokens.json')
    writeFileSync(file, text)

    // When it is loaded
    const load = () => loadTokens({ file })

    // Then the error says what is wrong and does not contain the token
    expect(load).toThrow(message)
    expect(load).not.toThrow(TOKEN_A)
  })

  it('names a missing token file', () => {
    // Given no file at the path
    const file = join(tempDir(), 'missing.json')

    // When it is loaded
    // Then the error names the file and the reason
    expect(() => loadTokens({ file })).toThrow(`Cannot read the token file ${file}: ENOENT.`)
  })
})

describe('requireSafeBinding', () => {
  it('allows loopback without tokens and refuses any other address without them', () => {
    // Given no tokens, and one token
    const none = new TokenTable()
    const one = new TokenTable({ [TOKEN_A]: 'team-a' })

    // When each address is checked
    // Then only loopback passes without a token; with one, anything does
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) expect(() => requireSafeBinding(host, none)).not.toThrow()
    for (const host of ['0.0.0.0', '::', '192.168.1.10']) expect(() => requireSafeBinding(host, none)).toThrow(/Refusing to listen on .* without a bearer token/)
    expect(() => requireSafeBinding('0.0.0.0', one)).not.toThrow()
  })

  it('recognises loopback host names', () => {
    // Given host names as they appear in flags and Host headers
    // When they are checked
    // Then only loopback names count
    expect(['localhost', '127.0.0.1', '[::1]', '::1', '127.9.9.9'].map(isLoopbackHost)).toEqual([true, true, true, true, true])
    expect(['0.0.0.0', 'example.com', '10.0.0.1', 'localhost.evil.com', '::'].map(isLoopbackHost)).toEqual([false, false, false, false, false])
  })
})

describe('authenticate', () => {
  const table = new TokenTable({ [TOKEN_A]: 'team-a' })

  it('returns the namespace of a known bearer token', () => {
    // Given the header of a known token
    // When it is checked
    // Then its namespace is returned
    expect(authenticate(`Bearer ${TOKEN_A}`, table)).toBe('team-a')
    expect(authenticate(`bearer  ${TOKEN_A}`, table)).toBe('team-a')
  })

  it.each([
    ['no header', undefined, /received none/],
    ['basic auth', 'Basic dXNlcjpwYXNz', /another kind of Authorization header/],
    ['an unknown token', `Bearer ${TOKEN_B}`, /not one this service knows/],
  ])('answers %s with 401', (_what, header, message) => {
    // Given a request header
    // When it is checked
    let error: unknown
    try {
      authenticate(header, table)
    } catch (caught) {
      error = caught
    }

    // Then it is a 401 that does not echo what was sent
    expect(error).toBeInstanceOf(ServeError)
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED', message: expect.stringMatching(message) })
    expect((error as Error).message).not.toContain(TOKEN_B)
  })
})

describe('requireLoopbackHostHeader', () => {
  it('accepts loopback Host headers and refuses others (DNS rebinding)', () => {
    // Given Host headers a browser could send
    // When they are checked
    // Then loopback names pass and another name is a 403
    for (const host of ['127.0.0.1:8787', 'localhost:8787', '[::1]:8787', 'localhost']) expect(() => requireLoopbackHostHeader(host)).not.toThrow()
    expect(() => requireLoopbackHostHeader('attacker.example:8787')).toThrow(expect.objectContaining({ status: 403, code: 'FORBIDDEN' }))
    expect(() => requireLoopbackHostHeader(undefined)).toThrow(ServeError)
  })
})
