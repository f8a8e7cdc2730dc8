-- Dedup and idempotency of export requests (issue 5).
--
-- projects.revision counts every change to what an export reads; identical
-- requests at the same revision while a job is queued or running share it.
-- Triggers keep the count in the writer's own transaction for files and
-- rules; TranslationPut bumps it once per call, since a per-row trigger
-- would run for every one of a big import's rows (PostgreSQL can use
-- statement-level triggers instead).
ALTER TABLE projects ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

ALTER TABLE jobs ADD COLUMN dedup_key TEXT;
CREATE INDEX jobs_dedup_idx ON jobs (project_id, dedup_key, status);

-- An Idempotency-Key names the job its POST got, created or shared: one job
-- may be reached by several keys, so keys have a table of their own.
CREATE TABLE job_keys (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    key        TEXT    NOT NULL,
    job_id     INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, key)
);

CREATE TRIGGER files_rev_ins AFTER INSERT ON files BEGIN UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id; END;
CREATE TRIGGER files_rev_upd AFTER UPDATE ON files BEGIN UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id; END;
CREATE TRIGGER files_rev_del AFTER DELETE ON files BEGIN UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id; END;
CREATE TRIGGER rules_rev_ins AFTER INSERT ON target_rules BEGIN UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id; END;
CREATE TRIGGER rules_rev_upd AFTER UPDATE ON target_rules BEGIN UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id; END;
