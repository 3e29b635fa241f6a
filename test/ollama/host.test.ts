import { describe, expect, it } from 'vitest'
import { DEFAULT_OLLAMA_URL, ollamaUrl } from '../../src/ollama/host.js'

// Every case of TestHost and TestConnectableHost in ollama/ollama envconfig/config_test.go (v0.33),
// with the address a client connects to: Go dials ":1234" on this machine, fetch needs 127.0.0.1.
const FORMS: Array<[string, string, string]> = [
  ['empty', '', 'http://127.0.0.1:11434'],
  ['only address', '1.2.3.4', 'http://1.2.3.4:11434'],
  ['only port', ':1234', 'http://127.0.0.1:1234'],
  ['address and port', '1.2.3.4:1234', 'http://1.2.3.4:1234'],
  ['hostname', 'example.com', 'http://example.com:11434'],
  ['hostname and port', 'example.com:1234', 'http://example.com:1234'],
  ['zero port', ':0', 'http://127.0.0.1:0'],
  ['too large port', ':66000', 'http://127.0.0.1:11434'],
  ['too small port', ':-1', 'http://127.0.0.1:11434'],
  ['port that is not a number', 'example.com:abc', 'http://example.com:11434'],
  ['ipv6 localhost', '[::1]', 'http://[::1]:11434'],
  ['ipv6 world open', '[::]', 'http://[::1]:11434'],
  ['ipv6 no brackets', '::1', 'http://[::1]:11434'],
  ['ipv6 + port', '[::1]:1337', 'http://[::1]:1337'],
  ['ipv6 unspecified + port', '[::]:1234', 'http://[::1]:1234'],
  ['extra space', ' 1.2.3.4 ', 'http://1.2.3.4:11434'],
  ['extra quotes', '"1.2.3.4"', 'http://1.2.3.4:11434'],
  ['extra space+quotes', ' " 1.2.3.4 " ', 'http://1.2.3.4:11434'],
  ['extra single quotes', "'1.2.3.4'", 'http://1.2.3.4:11434'],
  ['http', 'http://1.2.3.4', 'http://1.2.3.4:80'],
  ['http port', 'http://1.2.3.4:4321', 'http://1.2.3.4:4321'],
  ['https', 'https://1.2.3.4', 'https://1.2.3.4:443'],
  ['https port', 'https://1.2.3.4:4321', 'https://1.2.3.4:4321'],
  ['proxy path', 'https://example.com/ollama', 'https://example.com:443/ollama'],
  ['trailing slash', 'http://127.0.0.1:11434/', 'http://127.0.0.1:11434'],
  ['ollama.com', 'ollama.com', 'https://ollama.com:443'],
  ['ipv4 unspecified', '0.0.0.0', 'http://127.0.0.1:11434'],
  ['ipv4 unspecified + port', '0.0.0.0:1234', 'http://127.0.0.1:1234'],
  ['localhost', '127.0.0.1', 'http://127.0.0.1:11434'],
  ['specific address + port', '192.168.1.5:8080', 'http://192.168.1.5:8080'],
  ['https unspecified + port', 'https://0.0.0.0:4321', 'https://127.0.0.1:4321'],
]

describe('ollamaUrl', () => {
  it.each(FORMS)('reads OLLAMA_HOST %s (%j) as Ollama does: %s', (_name, value, expected) => {
    // Given an OLLAMA_HOST value the ollama CLI accepts, When it is read, Then it names the same server
    expect(ollamaUrl(value)).toBe(expected)
  })

  it('falls back to the default URL when OLLAMA_HOST is unset', () => {
    expect(ollamaUrl(undefined)).toBe(DEFAULT_OLLAMA_URL)
  })

  it('gives a URL the ollama client and fetch accept for every form', () => {
    for (const [, value] of FORMS) expect(() => new URL(ollamaUrl(value))).not.toThrow()
  })
})
