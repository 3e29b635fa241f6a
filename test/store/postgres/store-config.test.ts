import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseStoreUrl, redactSecrets, redactStoreUrl, validateStoreUrl } from '../../../src/config/store-config.js'
import { AsteriaError } from '../../../src/core/errors.js'
import { openCacheStore } from '../../../src/store/open-cache-store.js'
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js'
import { TieredStore } from '../../../src/store/tiered/tiered-store.js'
import { defaultConfig } from '../../../src/config/config.js'
import { useTempDirs } from '../../helpers/temp-dir.js'

const tempDir = useTempDirs()

describe('parseStoreUrl', () => {
  it('takes the schema from ?schema= and hands the driver the URL without it', () => {
    expect(parseStoreUrl('postgres://agent:s3cret@db.internal:5432/cache?schema=team_a&sslmode=require')).toEqual({
      connectionString: 'postgres://agent:s3cret@db.internal:5432/cache?sslmode=require',
      schema: 'team_a',
      redacted: 'postgres://agent:***@db.internal:5432/cache?schema=team_a&sslmode=require',
    })
    expect(parseStoreUrl('postgresql://db/cache').schema).toBe('asteria')
  })

  it('refuses what is not a PostgreSQL URL or a safe schema name, without echoing the password', () => {
    expect(() => parseStoreUrl('mysql://agent:s3cret@db/cache')).toThrow(/start with postgres:\/\//)
    expect(() => parseStoreUrl('postgres://db/cache?schema=a;drop')).toThrow(AsteriaError)
    const garbled = (() => {
      try {
        parseStoreUrl('postgres://agent:s3cret@[bad')
        return undefined
      } catch (error) {
        return error as Error
      }
    })()
    expect(garbled?.message).toMatch(/Expected the shared store to be a postgres:\/\/ URL/)
    expect(garbled?.message).not.toContain('s3cret')
  })

  it('validates the config value: unset keeps the local cache alone', () => {
    expect(validateStoreUrl(undefined)).toBeUndefined()
    expect(validateStoreUrl('')).toBeUndefined()
    expect(validateStoreUrl('postgres://db/cache')).toBe('postgres://db/cache')
    expect(() => validateStoreUrl(42)).toThrow(/postgres:\/\/user:password@host/)
    expect(() => validateStoreUrl('mysql://agent:s3cret@db/cache')).toThrow(/^a postgres:\/\/user:password@host:5432\/database URL/)
  })
})

describe('redaction', () => {
  it('masks the password in URLs and in driver messages', () => {
    expect(redactStoreUrl('postgres://agent:p%40ss@db/cache')).toBe('postgres://agent:***@db/cache')
    expect(redactStoreUrl('postgres://db/cache?password=hunter2&x=1')).toBe('postgres://db/cache?password=***&x=1')
    expect(redactStoreUrl('postgres://agent@db/cache')).toBe('postgres://agent@db/cache')
    expect(redactSecrets('auth failed for p@ss', 'postgres://agent:p%40ss@db/cache')).toBe('auth failed for ***')
  })
})

describe('openCacheStore', () => {
  it('opens the local file alone without storeUrl, and a tiered store with it, connecting to nothing yet', async () => {
    const config = { ...defaultConfig({}), db: join(tempDir(), 'cache.sqlite') }
    const local = await openCacheStore(config)
    expect(local).toBeInstanceOf(SqliteStore)
    await local.close()
    const tiered = await openCacheStore({ ...config, storeUrl: 'postgres://agent:s3cret@127.0.0.1:9/cache' }, { onWarning: () => undefined })
    expect(tiered).toBeInstanceOf(TieredStore)
    expect(tiered.location).toBe(`${config.db} (hot tier) + postgres://agent:***@127.0.0.1:9/cache (shared tier)`)
    await tiered.close()
  })
})
