// The services' public API: `import { startService } from 'asteria/serve'`. Re-exports only; nothing runs on import.
export { startService } from './service.js'
export type { RunningService, ServiceOptions } from './service.js'
export { buildHttpApp } from './http-app.js'
export type { HttpAppOptions } from './http-app.js'
export { createMcpServer } from './mcp-server.js'
export { serveMcpOverStdio } from './mcp-stdio.js'
export { TokenTable, loadTokens } from './auth.js'
