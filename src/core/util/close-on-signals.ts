const SIGNALS = ['SIGINT', 'SIGTERM'] as const

export interface SignalSource {
  once(signal: string, listener: () => void): unknown
  off(signal: string, listener: () => void): unknown
}

/**
 * Runs `close` on the first SIGINT or SIGTERM. The handlers are then removed, so a second
 * Ctrl+C gets Node's default and stops the process at once. Returns a function that removes them.
 */
export function closeOnSignals(close: () => Promise<void>, target: SignalSource = process): () => void {
  const remove = () => {
    for (const signal of SIGNALS) target.off(signal, onSignal)
  }
  function onSignal() {
    remove()
    // The caller awaits the same close() and reports its failure.
    close().catch(() => {})
  }
  for (const signal of SIGNALS) target.once(signal, onSignal)
  return remove
}
