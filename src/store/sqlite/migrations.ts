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
  // Eviction (LCFU value kept by SQLite on insert and hit, usage totals kept by triggers), the
  // eviction log, the prefetch Markov model, and calibration bands and threshold history.
  `ALTER TABLE elements ADD COLUMN lcfu_value REAL GENERATED ALWAYS AS (
     ln(frequency + 2) * ln(cost_usd * 1000 + 1) * ln(latency_ms / 1000.0 + 1) * ln(staticity + 1) / max(size_bytes, 1)) VIRTUAL;
   CREATE INDEX elements_lcfu ON elements(lcfu_value, last_access_at);
   CREATE INDEX elements_lru ON elements(last_access_at);
   CREATE INDEX elements_lfu ON elements(frequency, last_access_at);
   CREATE TABLE element_usage (
     namespace TEXT PRIMARY KEY,
     entries INTEGER NOT NULL,
     bytes INTEGER NOT NULL
   );
   INSERT INTO element_usage (namespace, entries, bytes) SELECT namespace, count(*), sum(size_bytes) FROM elements GROUP BY namespace;
   CREATE TRIGGER elements_usage_insert AFTER INSERT ON elements BEGIN
     INSERT INTO element_usage (namespace, entries, bytes) VALUES (NEW.namespace, 1, NEW.size_bytes)
       ON CONFLICT (namespace) DO UPDATE SET entries = entries + 1, bytes = bytes + excluded.bytes;
   END;
   CREATE TRIGGER elements_usage_delete AFTER DELETE ON elements BEGIN
     UPDATE element_usage SET entries = entries - 1, bytes = bytes - OLD.size_bytes WHERE namespace = OLD.namespace;
     DELETE FROM hit_scores WHERE element_id = OLD.id;
   END;
   CREATE TABLE evictions (
     id INTEGER PRIMARY KEY,
     element_id INTEGER NOT NULL,
     namespace TEXT NOT NULL,
     tool TEXT NOT NULL,
     scope_key TEXT NOT NULL,
     query TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     reason TEXT NOT NULL,
     evicted_at INTEGER NOT NULL
   );
   CREATE INDEX evictions_element ON evictions(element_id);
   CREATE TABLE prefetch_states (
     key TEXT PRIMARY KEY,
     namespace TEXT NOT NULL,
     tool TEXT NOT NULL,
     args_json TEXT NOT NULL,
     scope_key TEXT NOT NULL,
     query TEXT NOT NULL,
     normalized_query TEXT NOT NULL,
     cost_usd REAL NOT NULL,
     seen_at INTEGER NOT NULL
   );
   CREATE TABLE transitions (
     from_key TEXT NOT NULL,
     to_key TEXT NOT NULL,
     count INTEGER NOT NULL,
     PRIMARY KEY (from_key, to_key)
   ) WITHOUT ROWID;
   CREATE TABLE calibration_bands (
     embedder TEXT NOT NULL,
     policy TEXT NOT NULL,
     axis TEXT NOT NULL,
     band INTEGER NOT NULL,
     verified INTEGER NOT NULL,
     wrong INTEGER NOT NULL,
     PRIMARY KEY (embedder, policy, axis, band)
   ) WITHOUT ROWID;
   CREATE TABLE threshold_history (
     id INTEGER PRIMARY KEY,
     embedder TEXT NOT NULL,
     policy TEXT NOT NULL,
     tau_sim REAL NOT NULL,
     tau_judge REAL NOT NULL,
     action TEXT NOT NULL,
     status TEXT NOT NULL,
     reason TEXT NOT NULL,
     changed_at INTEGER NOT NULL
   );
   CREATE TABLE hit_scores (
     element_id INTEGER PRIMARY KEY,
     similarity REAL,
     judge_score REAL,
     at INTEGER NOT NULL
   );`,
  // Cross-process leases (single flight, exclusive jobs) and the shared tier's bookkeeping: which
  // local element is which shared one, what still has to be written through, deleted or counted there.
  `CREATE TABLE leases (
     key TEXT PRIMARY KEY,
     holder TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE TABLE shared_links (
     local_id INTEGER PRIMARY KEY,
     shared_id INTEGER NOT NULL
   );
   CREATE INDEX shared_links_shared ON shared_links(shared_id);
   CREATE TABLE shared_outbox (
     local_id INTEGER PRIMARY KEY,
     queued_at INTEGER NOT NULL
   );
   CREATE TABLE shared_tombstones (
     shared_id INTEGER PRIMARY KEY,
     deleted_at INTEGER NOT NULL
   );
   CREATE TABLE shared_counter_deltas (
     namespace TEXT NOT NULL,
     name TEXT NOT NULL,
     value REAL NOT NULL,
     PRIMARY KEY (namespace, name)
   );
   CREATE TRIGGER elements_shared_bookkeeping AFTER DELETE ON elements BEGIN
     DELETE FROM shared_links WHERE local_id = OLD.id;
     DELETE FROM shared_outbox WHERE local_id = OLD.id;
   END;`,
  // Agent sessions (asteria run): each task, and each look-up with its decision record.
  `CREATE TABLE sessions (
     id INTEGER PRIMARY KEY,
     started_at INTEGER NOT NULL,
     finished_at INTEGER,
     status TEXT NOT NULL DEFAULT 'running',
     namespace TEXT NOT NULL,
     agent TEXT NOT NULL,
     agent_note TEXT,
     task_set TEXT NOT NULL,
     sources_json TEXT NOT NULL,
     embedder TEXT NOT NULL,
     policy TEXT NOT NULL,
     summary_json TEXT
   );
   CREATE INDEX sessions_namespace ON sessions(namespace, id);
   CREATE TABLE session_tasks (
     session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     task_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     question TEXT NOT NULL,
     agent TEXT NOT NULL,
     answer TEXT NOT NULL,
     correct INTEGER,
     lookups INTEGER NOT NULL,
     steps INTEGER NOT NULL,
     duration_ms REAL NOT NULL,
     error TEXT,
     PRIMARY KEY (session_id, seq)
   );
   CREATE TABLE session_lookups (
     session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     task_seq INTEGER NOT NULL,
     tool TEXT NOT NULL,
     query TEXT NOT NULL,
     args_json TEXT NOT NULL,
     outcome TEXT NOT NULL,
     element_id INTEGER,
     prefetched INTEGER NOT NULL,
     latency_ms REAL NOT NULL,
     remote_latency_ms REAL NOT NULL,
     cost_usd REAL NOT NULL,
     saved_cost_usd REAL NOT NULL,
     saved_latency_ms REAL NOT NULL,
     judge_ms REAL,
     decision_json TEXT,
     error TEXT,
     at INTEGER NOT NULL,
     PRIMARY KEY (session_id, seq)
   );`,
  // Sessions recorded through a tiered store: which local session is which shared one (shared_id
  // is null until it is uploaded), and which of their tasks, look-ups and ends the shared tier lacks.
  `CREATE TABLE session_links (
     local_id INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
     upload_key TEXT NOT NULL UNIQUE,
     shared_id INTEGER UNIQUE
   );
   CREATE TABLE session_outbox (
     local_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
     kind TEXT NOT NULL,
     seq INTEGER NOT NULL,
     PRIMARY KEY (local_id, kind, seq)
   ) WITHOUT ROWID;`,
  // Element ids are never reused: the highest id ever deleted, kept by a trigger, floors the next one.
  `CREATE TABLE element_id_floor (max_id INTEGER NOT NULL);
   INSERT INTO element_id_floor (max_id) VALUES (0);
   CREATE TRIGGER elements_id_floor AFTER DELETE ON elements
     WHEN OLD.id > (SELECT max_id FROM element_id_floor)
     BEGIN UPDATE element_id_floor SET max_id = OLD.id; END;`,
  // The knowledge source is part of the scope. Elements stored before are listed in
  // unrecorded_sources until a cache that knows its sources adopts them (SemanticCache.ready).
  `ALTER TABLE elements ADD COLUMN source TEXT NOT NULL DEFAULT '';
   CREATE TABLE unrecorded_sources (element_id INTEGER PRIMARY KEY);
   INSERT INTO unrecorded_sources (element_id) SELECT id FROM elements;
   CREATE TRIGGER elements_unrecorded_source AFTER DELETE ON elements
     BEGIN DELETE FROM unrecorded_sources WHERE element_id = OLD.id; END;`,
  // Scopes past the switch point and their lists of nearby vectors (vector-lists.ts, scope-phases.ts): the phase,
  // how many lists keep recall (0: all are read), how far the current batch job went, when recall is checked next.
  `CREATE TABLE vector_scopes (embedder TEXT NOT NULL, scope_key TEXT NOT NULL, phase TEXT NOT NULL, probes INTEGER NOT NULL,
     version INTEGER NOT NULL, moved_through INTEGER NOT NULL, move_until INTEGER NOT NULL, elements INTEGER NOT NULL,
     next_check INTEGER NOT NULL, PRIMARY KEY (embedder, scope_key)) WITHOUT ROWID;
   CREATE TABLE vector_lists (id INTEGER PRIMARY KEY, embedder TEXT NOT NULL, scope_key TEXT NOT NULL,
     centroid BLOB NOT NULL, size INTEGER NOT NULL, version INTEGER NOT NULL);
   CREATE INDEX vector_lists_scope ON vector_lists(embedder, scope_key, version);`,
]
