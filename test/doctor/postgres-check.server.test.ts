import { expect, it } from 'vitest'
import { postgresCheck } from '../../src/doctor/postgres-check.js'
import { describeOnRealPostgres, realPostgresUrlFor, useScratchObjects } from '../helpers/real-postgres.js'

describeOnRealPostgres('postgresCheck on a database where pgvector is installed but not created', () => {
  const scratch = useScratchObjects()

  it('is ok for a superuser: Asteria creates the extension on first use', async () => {
    const { url } = await scratch.database()
    const check = await postgresCheck(url)
    expect(check).toMatchObject({ status: 'ok', detail: expect.stringMatching(/pgvector \d+\.\d+\.\d+ available: created on first use$/) })
  })

  it('warns another user, naming who can create it', async () => {
    // Given a user without superuser rights on a new database
    const { name } = await scratch.database()
    const user = await scratch.role()
    // When doctor checks the shared tier as that user
    const check = await postgresCheck(realPostgresUrlFor(name, user))
    // Then it warns that pgvector is not created there and says how to create it
    expect(check).toMatchObject({ status: 'warn', detail: expect.stringMatching(/pgvector \d+\.\d+\.\d+ available but not created in this database$/) })
    expect(check.fix).toMatch(/^CREATE EXTENSION vector; +\(as a superuser/)
  })
})
