/**
 * Ordered schema changes of the shared tier, each a function of the schema name; the
 * `schema_version` table records how many have run. Append only. Columns match the SQLite
 * store's so both map rows the same way; vector tables are created per embedder at run time
 * (their dimensions are only known then) and listed in `embedders`.
 */
export const POSTGRES_MIGRATIONS: readonly ((schema: string) => string)[] = [
  (s) => `
   CREATE TABLE ${s}.elements (
     id BIGSERIAL PRIMARY KEY,
     namespace TEXT NOT NULL,
     tool TEXT NOT NULL,
     args_json TEXT NOT NULL,
     scope_key TEXT NOT NULL,
     embedder TEXT NOT NULL,
     query TEXT NOT NULL,
     normalized_query TEXT NOT NULL,
     result_json TEXT NOT NULL,
     latency_ms DOUBLE PRECISION NOT NULL,
     cost_usd DOUBLE PRECISION NOT NULL,
     staticity INTEGER NOT NULL,
     frequency BIGINT NOT NULL DEFAULT 0,
     size_bytes BIGINT NOT NULL,
     created_at BIGINT NOT NULL,
     last_access_at BIGINT NOT NULL,
     expires_at BIGINT NOT NULL,
     origin TEXT NOT NULL DEFAULT 'miss'
   );
   CREATE INDEX elements_exact ON ${s}.elements (scope_key, normalized_query);
   CREATE INDEX elements_expiry ON ${s}.elements (expires_at);
   CREATE INDEX elements_namespace ON ${s}.elements (namespace, tool);
   CREATE TABLE ${s}.embedders (
     fingerprint TEXT PRIMARY KEY,
     model TEXT NOT NULL,
     dimensions INTEGER NOT NULL,
     vector_table TEXT NOT NULL UNIQUE,
     created_at BIGINT NOT NULL
   );
   CREATE TABLE ${s}.thresholds (
     embedder TEXT NOT NULL,
     policy TEXT NOT NULL,
     tau_sim DOUBLE PRECISION NOT NULL,
     tau_judge DOUBLE PRECISION NOT NULL,
     updated_at BIGINT NOT NULL,
     PRIMARY KEY (embedder, policy)
   );
   CREATE TABLE ${s}.counters (
     namespace TEXT NOT NULL,
     name TEXT NOT NULL,
     value DOUBLE PRECISION NOT NULL DEFAULT 0,
     PRIMARY KEY (namespace, name)
   );
   CREATE TABLE ${s}.leases (
     key TEXT PRIMARY KEY,
     holder TEXT NOT NULL,
     expires_at BIGINT NOT NULL
   );`,
  // The prefetch Markov model and calibration state, shared by every machine (as in the SQLite file).
  (s) => `
   CREATE TABLE ${s}.prefetch_states (
     key TEXT PRIMARY KEY,
     namespace TEXT NOT NULL,
     tool TEXT NOT NULL,
     args_json TEXT NOT NULL,
     scope_key TEXT NOT NULL,
     query TEXT NOT NULL,
     normalized_query TEXT NOT NULL,
     cost_usd DOUBLE PRECISION NOT NULL,
     seen_at BIGINT NOT NULL
   );
   CREATE TABLE ${s}.transitions (
     from_key TEXT NOT NULL,
     to_key TEXT NOT NULL,
     count BIGINT NOT NULL,
     PRIMARY KEY (from_key, to_key)
   );
   CREATE TABLE ${s}.calibration_bands (
     embedder TEXT NOT NULL,
     policy TEXT NOT NULL,
     axis TEXT NOT NULL,
     band INTEGER NOT NULL,
     verified BIGINT NOT NULL,
     wrong BIGINT NOT NULL,
     PRIMARY KEY (embedder, policy, axis, band)
   );
   CREATE TABLE ${s}.threshold_history (
     id BIGSERIAL PRIMARY KEY,
     embedder TEXT NOT NULL,
     policy TEXT NOT NULL,
     tau_sim DOUBLE PRECISION NOT NULL,
     tau_judge DOUBLE PRECISION NOT NULL,
     action TEXT NOT NULL,
     status TEXT NOT NULL,
     reason TEXT NOT NULL,
     changed_at BIGINT NOT NULL
   );
   CREATE INDEX threshold_history_key ON ${s}.threshold_history (embedder, policy, id);
   CREATE TABLE ${s}.hit_scores (
     element_id BIGINT PRIMARY KEY REFERENCES ${s}.elements (id) ON DELETE CASCADE,
     similarity DOUBLE PRECISION,
     judge_score DOUBLE PRECISION,
     at BIGINT NOT NULL
   );`,
  // Eviction of the shared tier (one machine at a time): its log. The victims' order is a sort in the
  // pruning query (expired first, then the policy), run once a minute at most, so no index serves it.
  (s) => `
   CREATE TABLE ${s}.evictions (
     id BIGSERIAL PRIMARY KEY,
     element_id BIGINT NOT NULL,
     namespace TEXT NOT NULL,
     tool TEXT NOT NULL,
     scope_key TEXT NOT NULL,
     query TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     reason TEXT NOT NULL,
     evicted_at BIGINT NOT NULL
   );
   CREATE INDEX evictions_namespace ON ${s}.evictions (namespace, id);`,
  // Agent sessions of every machine (asteria run), as in the SQLite file, plus the machine that ran
  // each one and the key its upload from a machine's local file carries (a retried upload stays one row).
  (s) => `
   CREATE TABLE ${s}.sessions (
     id BIGSERIAL PRIMARY KEY,
     started_at BIGINT NOT NULL,
     finished_at BIGINT,
     status TEXT NOT NULL DEFAULT 'running',
     namespace TEXT NOT NULL,
     agent TEXT NOT NULL,
     agent_note TEXT,
     task_set TEXT NOT NULL,
     sources_json TEXT NOT NULL,
     embedder TEXT NOT NULL,
     policy TEXT NOT NULL,
     summary_json TEXT,
     machine TEXT NOT NULL,
     upload_key TEXT UNIQUE
   );
   CREATE INDEX sessions_namespace ON ${s}.sessions (namespace, id);
   CREATE TABLE ${s}.session_tasks (
     session_id BIGINT NOT NULL REFERENCES ${s}.sessions (id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     task_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     question TEXT NOT NULL,
     agent TEXT NOT NULL,
     answer TEXT NOT NULL,
     correct INTEGER,
     lookups INTEGER NOT NULL,
     steps INTEGER NOT NULL,
     duration_ms DOUBLE PRECISION NOT NULL,
     error TEXT,
     PRIMARY KEY (session_id, seq)
   );
   CREATE TABLE ${s}.session_lookups (
     session_id BIGINT NOT NULL REFERENCES ${s}.sessions (id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     task_seq INTEGER NOT NULL,
     tool TEXT NOT NULL,
     query TEXT NOT NULL,
     args_json TEXT NOT NULL,
     outcome TEXT NOT NULL,
     element_id BIGINT,
     prefetched INTEGER NOT NULL,
     latency_ms DOUBLE PRECISION NOT NULL,
     remote_latency_ms DOUBLE PRECISION NOT NULL,
     cost_usd DOUBLE PRECISION NOT NULL,
     saved_cost_usd DOUBLE PRECISION NOT NULL,
     saved_latency_ms DOUBLE PRECISION NOT NULL,
     judge_ms DOUBLE PRECISION,
     decision_json TEXT,
     error TEXT,
     at BIGINT NOT NULL,
     PRIMARY KEY (session_id, seq)
   );`,
  // The knowledge source is part of the scope. Elements stored before are listed in
  // unrecorded_sources until a cache that knows its sources adopts them (SemanticCache.ready).
  (s) => `
   ALTER TABLE ${s}.elements ADD COLUMN source TEXT NOT NULL DEFAULT '';
   CREATE TABLE ${s}.unrecorded_sources (element_id BIGINT PRIMARY KEY REFERENCES ${s}.elements (id) ON DELETE CASCADE);
   INSERT INTO ${s}.unrecorded_sources (element_id) SELECT id FROM ${s}.elements;`,
]

/** DDL of one embedder's vector table: cosine HNSW for the search, a b-tree for the scope filter. */
export function vectorTableDdl(schema: string, table: string, dimensions: number): string {
  return `
   CREATE TABLE IF NOT EXISTS ${schema}.${table} (
     element_id BIGINT PRIMARY KEY REFERENCES ${schema}.elements (id) ON DELETE CASCADE,
     scope_key TEXT NOT NULL,
     expires_at BIGINT NOT NULL,
     embedding vector(${dimensions}) NOT NULL
   );
   CREATE INDEX IF NOT EXISTS ${table}_hnsw ON ${schema}.${table} USING hnsw (embedding vector_cosine_ops);
   CREATE INDEX IF NOT EXISTS ${table}_scope ON ${schema}.${table} (scope_key, expires_at);`
}
