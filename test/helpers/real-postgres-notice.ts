import { NO_REAL_POSTGRES, realPostgresUrl } from './real-postgres.js'

/** Global setup of the `postgres` test project: says once why its tests skip. */
export default function notice(): void {
  if (!realPostgresUrl()) process.stdout.write(`\nPostgreSQL server tests skipped: ${NO_REAL_POSTGRES}.\n`)
}
