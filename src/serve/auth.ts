import { createHash, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { AsteriaError } from '../core/errors.js'
import { ServeError } from './serve-errors.js'

const MIN_TOKEN_LENGTH = 16
const TOKEN_SHAPE = /^[A-Za-z0-9\-._~+/]+=*$/
const MAX_NAMESPACE_LENGTH = 200
const NEW_TOKEN_HINT = 'Make a token with `openssl rand -hex 32`.'

/**
 * Bearer tokens and the namespace each one is confined to. Only digests are kept, and a token
 * is compared with every known one in constant time, so neither memory nor timing reveals it.
 */
export class TokenTable {
  private readonly entries: { digest: Buffer; namespace: string }[]

  constructor(tokens: Record<string, string> = {}, where = 'the token list') {
    this.entries = Object.entries(tokens).map(([token, namespace], index) => {
      checkToken(token, namespace, index, where)
      return { digest: digest(token), namespace }
    })
  }

  get size(): number {
    return this.entries.length
  }

  /** The namespace a presented token is confined to, or undefined for an unknown token. */
  namespaceOf(token: string): string | undefined {
    const presented = digest(token)
    let found: string | undefined
    for (const entry of this.entries) if (timingSafeEqual(entry.digest, presented)) found = entry.namespace
    return found
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest()
}

function checkToken(token: string, namespace: unknown, index: number, where: string): void {
  const which = `token #${index + 1} in ${where}`
  if (token.length < MIN_TOKEN_LENGTH || !TOKEN_SHAPE.test(token)) {
    throw new AsteriaError(
      'CONFIG',
      `Expected ${which} to be at least ${MIN_TOKEN_LENGTH} characters of A-Z a-z 0-9 - . _ ~ + / (a bearer token), received ${token.length} characters${TOKEN_SHAPE.test(token) ? '' : ' with other characters'}.`,
      { suggestions: [NEW_TOKEN_HINT] },
    )
  }
  if (typeof namespace !== 'string' || namespace.trim() === '' || namespace.length > MAX_NAMESPACE_LENGTH) {
    throw new AsteriaError('CONFIG', `Expected the namespace of ${which} to be a non-empty name of at most ${MAX_NAMESPACE_LENGTH} characters, received ${JSON.stringify(namespace)}.`, {
      suggestions: ['Map each token to a namespace: {"<token>": "team-a"}.'],
    })
  }
}

/** `token1=ns1,token2=ns2` (ASTERIA_TOKENS); a token may end in base64 `=` padding. */
export function parseTokenList(text: string): Record<string, string> {
  const tokens: Record<string, string> = {}
  for (const [index, pair] of text.split(',').map((p) => p.trim()).filter(Boolean).entries()) {
    const at = pair.lastIndexOf('=')
    const token = pair.slice(0, Math.max(0, at))
    if (at <= 0 || at === pair.length - 1 || token in tokens) {
      throw new AsteriaError('CONFIG', `Expected ASTERIA_TOKENS as token=namespace pairs separated by commas; entry #${index + 1} is ${at <= 0 || at === pair.length - 1 ? 'not a token=namespace pair' : 'a repeated token'}.`, {
        suggestions: ['ASTERIA_TOKENS="<token-a>=team-a,<token-b>=team-b"', NEW_TOKEN_HINT],
      })
    }
    tokens[token] = pair.slice(at + 1)
  }
  return tokens
}

/** A JSON file `{ "<token>": "<namespace>" }`. */
export function readTokenFile(path: string): Record<string, string> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new AsteriaError('CONFIG', `Cannot read the token file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, {
      suggestions: ['Pass --token-file with a readable JSON file like {"<token>": "team-a"}.'],
    })
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    // The parser's message may quote the file, and the file holds secrets.
    throw new AsteriaError('CONFIG', `Expected the token file ${path} to be JSON like {"<token>": "team-a"}, received text that is not valid JSON.`)
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AsteriaError('CONFIG', `Expected the token file ${path} to hold a JSON object {"<token>": "<namespace>"}, received ${Array.isArray(parsed) ? 'an array' : typeof parsed}.`)
  }
  return parsed as Record<string, string>
}

/** Tokens from --token-file and ASTERIA_TOKENS together; a token given twice must name one namespace. */
export function loadTokens(sources: { file?: string; list?: string }): TokenTable {
  const fromFile = sources.file === undefined ? {} : readTokenFile(sources.file)
  const fromList = sources.list ? parseTokenList(sources.list) : {}
  for (const [token, namespace] of Object.entries(fromList)) {
    if (token in fromFile && fromFile[token] !== namespace) {
      throw new AsteriaError('CONFIG', 'A token is mapped to one namespace in the token file and to another in ASTERIA_TOKENS.', {
        suggestions: ['Give each token one namespace, in one place.'],
      })
    }
  }
  return new TokenTable({ ...fromFile, ...fromList }, sources.file ?? 'ASTERIA_TOKENS')
}

/** localhost, 127.0.0.0/8 and ::1: reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase()
  if (bare === 'localhost') return true
  if (isIP(bare) === 4) return bare.startsWith('127.')
  return bare === '::1' || bare === '::ffff:127.0.0.1'
}

/** Refuses to expose the cache beyond this machine without tokens. */
export function requireSafeBinding(host: string, tokens: TokenTable): void {
  if (tokens.size > 0 || isLoopbackHost(host)) return
  throw new AsteriaError('CONFIG', `Refusing to listen on ${host} without a bearer token: anyone who can reach it could read and fill the cache.`, {
    suggestions: [
      'Keep the default --host 127.0.0.1, or',
      `give tokens: --token-file tokens.json (JSON {"<token>": "<namespace>"}) or ASTERIA_TOKENS="<token>=<namespace>". ${NEW_TOKEN_HINT}`,
    ],
  })
}

/** The namespace of the request's `Authorization: Bearer <token>`; 401 without a known token. */
export function authenticate(header: string | undefined, tokens: TokenTable): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  if (!match) {
    throw new ServeError('UNAUTHORIZED', 401, `Expected an "Authorization: Bearer <token>" header, received ${header ? 'another kind of Authorization header' : 'none'}.`, [
      'Send the token the service operator gave you: curl -H "Authorization: Bearer $ASTERIA_TOKEN" ...',
    ])
  }
  const namespace = tokens.namespaceOf(match[1])
  if (namespace === undefined) {
    throw new ServeError('UNAUTHORIZED', 401, 'The bearer token is not one this service knows.', ['Check the token; ask the service operator for a valid one.'])
  }
  return namespace
}

/**
 * Without tokens, only pages served from this machine may call: a Host header other than a
 * loopback name means a browser was led here by DNS rebinding.
 */
export function requireLoopbackHostHeader(hostHeader: string | undefined): void {
  const host = (hostHeader ?? '').replace(/:\d+$/, '')
  if (isLoopbackHost(host)) return
  throw new ServeError('FORBIDDEN', 403, `Expected a loopback Host header (localhost, 127.0.0.1 or [::1]) on a service without tokens, received "${host.slice(0, 100)}".`, [
    'Call the service as http://127.0.0.1:<port>, or run it with tokens to serve other hosts.',
  ])
}
