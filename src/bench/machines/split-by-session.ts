/**
 * Deals a trace's sessions to `machines` shares, in order of each session's first request, so an
 * agent session stays on one machine; each share keeps its requests in trace order.
 */
export function splitBySession<T extends { session: string }>(requests: readonly T[], machines: number): T[][] {
  const machineOf = new Map<string, number>()
  const shares: T[][] = Array.from({ length: machines }, () => [])
  for (const request of requests) {
    let machine = machineOf.get(request.session)
    if (machine === undefined) {
      machine = machineOf.size % machines
      machineOf.set(request.session, machine)
    }
    shares[machine].push(request)
  }
  return shares
}
