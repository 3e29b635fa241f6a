import type Database from 'better-sqlite3'

/**
 * Ordered schema changes; `PRAGMA user_version` records how many have run. Append only:
 * never edit a migration that has shipped. Vector tables are created per embedder at run
 * time (their dimensions are only known then) and listed in `embedders`.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE elements (
     id INTEGER PRIMARY KEY,
     namespace TEXT NOT NULL,
     tool TEXT NOT NULL,
     args_json TEXT NOT NULL,
     scope_key TEXT NOT NULL,
     embedder TEXT NOT NULL,
     query TEXT NOT NULL,
     normalized_query TEXT NOT NULL,
     result_json TEXT NOT NULL,
     latency_ms REAL NOT NULL,
     cost_usd REAL NOT NULL,
     staticity INTEGER NOT NULL,
     frequency INTEGER NOT NULL DEFAULT 0,
     size_bytes INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     last_access_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     origin TEXT NOT NULL DEFAULT 'miss'
   );
   CREATE INDEX elements_exact ON elements(scope_key, normalized_query);
   CREATE INDEX elements_expiry ON elements(expires_at);
   CREATE INDEX elements_namespace ON elements(namespace, tool);
   CREATE TABLE embedders (
     fingerprint TEXT PRIMARY KEY,
     model TEXT NOT NULL,
     dimensions INTEGER NOT NULL,
     vector_table TEXT NOT NULL UNIQUE,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE thresholds (
     embedder TEXT NOT NULL,
     policy TEXT NOT NULL,
     tau_sim REAL NOT NULL,
     tau_judge REAL NOT NULL,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (embedder, policy)
   );
   CREATE TABLE counters (
     namespace TEXT NOT NULL,
     name TEXT NOT NULL,
     value REAL NOT NULL DEFAULT 0,
     PRIMARY KEY (namespace, name)
   );`,
]

/** Runs pending migrations in one IMMEDIATE transaction, so processes opening a new file at once do not race. */
export function migrate(db: Database.Database): void {
  if ((db.pragma('user_version', { simple: true }) as number) === MIGRATIONS.length) return
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number
    if (current > MIGRATIONS.length) {
      throw new Error(`schema version ${current} is newer than this asteria (${MIGRATIONS.length})`)
    }
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version])
      db.pragma(`user_version = ${version + 1}`)
    }
  }).immediate()
}
