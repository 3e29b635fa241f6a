import { isIP } from 'node:net'

export const DEFAULT_OLLAMA_URL = 'http://127.0.0.1:11434'

/**
 * The URL to reach Ollama at, from an OLLAMA_HOST value read exactly as Ollama reads it
 * (ollama/ollama envconfig/config.go `Host()`, v0.33, and its table in config_test.go): spaces
 * and quotes trimmed; no scheme means http on port 11434, `http://` and `https://` without a port
 * mean 80 and 443; a bad port falls back to that default; a path (a proxy prefix) is kept;
 * "ollama.com" means https://ollama.com:443. Then, as a client connects (`ConnectableHost()`,
 * and Go dialling ":port" on this machine), an empty host and the bind-all addresses 0.0.0.0
 * and :: become 127.0.0.1 and ::1. Never throws: Ollama accepts every value too.
 */
export function ollamaUrl(value: string | undefined): string {
  const text = (value ?? '').trim().replace(/^["']+|["']+$/g, '').trim()
  const cut = text.indexOf('://')
  let scheme = cut < 0 ? 'http' : text.slice(0, cut)
  let rest = cut < 0 ? text : text.slice(cut + 3)
  let defaultPort = '11434'
  if (cut < 0 && text === 'ollama.com') [scheme, rest] = ['https', 'ollama.com:443']
  else if (cut >= 0 && scheme === 'http') defaultPort = '80'
  else if (cut >= 0 && scheme === 'https') defaultPort = '443'

  const slash = rest.indexOf('/')
  const hostport = slash < 0 ? rest : rest.slice(0, slash)
  const path = slash < 0 ? '' : rest.slice(slash)
  const split = splitHostPort(hostport)
  const host = split ? split.host : hostWithoutPort(hostport)
  const port = split && validPort(split.port) ? split.port : defaultPort
  return `${scheme}://${joinHostPort(connectable(host), port)}${path}`.replace(/\/+$/, '')
}

/** Go's net.SplitHostPort: undefined where Go returns an error (no port, too many colons, stray brackets). */
function splitHostPort(hostport: string): { host: string; port: string } | undefined {
  const colon = hostport.lastIndexOf(':')
  if (colon < 0) return undefined
  let host: string
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']')
    if (end < 0 || end + 1 !== colon) return undefined
    host = hostport.slice(1, end)
  } else {
    host = hostport.slice(0, colon)
    if (host.includes(':')) return undefined
  }
  const port = hostport.slice(colon + 1)
  if (/[[\]]/.test(host) || /[[\]]/.test(port)) return undefined
  return { host, port }
}

/** Ollama's fallback when there is no usable host:port: an IP (brackets optional), a name, or 127.0.0.1. */
function hostWithoutPort(hostport: string): string {
  const bare = hostport.replace(/^[[\]]+|[[\]]+$/g, '')
  if (isIP(bare)) return canonicalIp(bare)
  return hostport === '' ? '127.0.0.1' : hostport
}

function validPort(port: string): boolean {
  return /^\d+$/.test(port) && Number(port) <= 65535
}

function canonicalIp(ip: string): string {
  return isIP(ip) === 6 ? new URL(`http://[${ip}]`).hostname.slice(1, -1) : ip
}

function connectable(host: string): string {
  if (host === '' || host === '0.0.0.0') return '127.0.0.1'
  return isIP(host) === 6 && canonicalIp(host) === '::' ? '::1' : host
}

function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}
