-- tolk schema, version 1.
--
-- Times are unix milliseconds (INTEGER, NULL when unset) so that they sort and
-- compare as numbers in any dialect. JSON columns are TEXT. Portability notes
-- for the PostgreSQL port: INTEGER PRIMARY KEY AUTOINCREMENT becomes
-- BIGINT GENERATED ALWAYS AS IDENTITY, BLOB becomes BYTEA, INTEGER times
-- become BIGINT.

CREATE TABLE settings (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE projects (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT    NOT NULL,
    source_locale  TEXT    NOT NULL,
    target_locales TEXT    NOT NULL DEFAULT '[]',
    pseudo_locale  TEXT    NOT NULL DEFAULT 'qps-ploc',
    created_at     INTEGER NOT NULL
);

-- A token with a NULL project_id is not bound to a project (reserved for
-- instance-wide tokens); project tokens go when their project goes.
CREATE TABLE tokens (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER REFERENCES projects (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    secret_hash BLOB    NOT NULL UNIQUE,
    permissions TEXT    NOT NULL DEFAULT '[]',
    created_at  INTEGER NOT NULL
);
CREATE INDEX tokens_project_id_idx ON tokens (project_id);

CREATE TABLE target_rules (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id         TEXT    NOT NULL,
    rule       TEXT    NOT NULL,
    PRIMARY KEY (project_id, id)
);

-- files.target_rule names a target rule but is not a foreign key: a file may
-- be uploaded before its rule is defined, and the exporter reports a missing
-- rule when it needs it.
CREATE TABLE files (
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id          TEXT    NOT NULL,
    path        TEXT    NOT NULL,
    parser      TEXT    NOT NULL,
    target_rule TEXT    NOT NULL DEFAULT '',
    settings    TEXT    NOT NULL DEFAULT '{}',
    content     BLOB    NOT NULL,
    sha256      TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    strings     INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, path)
);

CREATE TABLE strings (
    project_id INTEGER NOT NULL,
    file_id    TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    seq        INTEGER NOT NULL,
    source     TEXT    NOT NULL,
    plural     TEXT,
    notes      TEXT,
    PRIMARY KEY (project_id, file_id, key),
    FOREIGN KEY (project_id, file_id) REFERENCES files (project_id, id) ON DELETE CASCADE
);
CREATE INDEX strings_file_seq_idx ON strings (project_id, file_id, seq);

-- A translation belongs to a string: removing the string (or, in FilePut,
-- changing its source) removes its translations.
CREATE TABLE translations (
    project_id INTEGER NOT NULL,
    file_id    TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    locale     TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    plural     TEXT,
    status     INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (project_id, file_id, key, locale),
    FOREIGN KEY (project_id, file_id, key) REFERENCES strings (project_id, file_id, key) ON DELETE CASCADE
);
CREATE INDEX translations_locale_idx ON translations (project_id, locale);

-- AUTOINCREMENT: a job id is also a download id, so it must never be reused,
-- not even after the highest row is deleted.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    tenant      TEXT    NOT NULL DEFAULT '',
    kind        TEXT    NOT NULL,
    params      TEXT    NOT NULL DEFAULT '{}',
    status      TEXT    NOT NULL,
    socket_id   TEXT    NOT NULL DEFAULT '',
    error       TEXT    NOT NULL DEFAULT '',
    blob_key    TEXT    NOT NULL DEFAULT '',
    size        INTEGER NOT NULL DEFAULT 0,
    sha256      TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    started_at  INTEGER,
    finished_at INTEGER,
    expires_at  INTEGER
);
CREATE INDEX jobs_status_expires_at_idx ON jobs (status, expires_at);
CREATE INDEX jobs_project_id_idx ON jobs (project_id);
