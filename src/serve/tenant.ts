import { ServeError } from './serve-errors.js'

/** Who a request acts for: the namespace its token is confined to, or the service's default. */
export interface Tenant {
  namespace: string
  /** true when a token fixed the namespace: asking for another one is forbidden. */
  confined: boolean
}

declare module 'fastify' {
  interface FastifyRequest {
    tenant: Tenant
  }
  interface FastifyContextConfig {
    /** A valid request, quoted in the suggestion of a 400 answer. */
    example?: string
  }
}

/** The namespace a request works in: the one it names, if its token allows it. */
export function namespaceFor(tenant: Tenant, requested: string | undefined): string {
  if (requested === undefined || requested === tenant.namespace) return tenant.namespace
  if (tenant.confined) {
    throw new ServeError('FORBIDDEN', 403, `This token is confined to namespace "${tenant.namespace}"; the request asked for "${requested.slice(0, 200)}".`, [
      'Leave out namespace, or use a token of that namespace.',
    ])
  }
  return requested
}
