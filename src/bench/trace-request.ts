/** One request of a trace in the public format (DESIGN.md, "Interchange formats"), as the bench holds it. */
export interface TraceRequest {
  /** Position in the trace, 0-based: how the simulation and the scoring refer to the request. */
  index: number
  /** Line of the trace file it came from, 1-based (for messages). */
  line: number
  session: string
  tool: string
  query: string
  /** Gold equivalence class: requests with the same intent may share a result. Scoring only. */
  intent?: string
  /** Gold answers. Scoring only. */
  answers?: string[]
  /** Arrival time for --open-loop, ms from the start of the trace. */
  tMs?: number
}

/** What a cache variant may see of a request: no gold labels, by construction. */
export interface VariantRequest {
  readonly index: number
  readonly session: string
  readonly tool: string
  readonly query: string
}

/** Copies only the fields a variant may see; intent and answers stay with the scorer. */
export function stripGold(request: TraceRequest): VariantRequest {
  return Object.freeze({ index: request.index, session: request.session, tool: request.tool, query: request.query })
}
