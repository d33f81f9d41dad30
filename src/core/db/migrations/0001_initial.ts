// Migration 0001: the study database.
//
// Once released, a migration is never edited: later changes are new numbered files. Every table is
// STRICT; grade_events is append-only (triggers refuse UPDATE and DELETE) so nothing a reader
// entered can be lost: a correction is a new event, an undo is a 'retract' event.
import type { Migration } from '../migration';

export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE patients (
  id          INTEGER PRIMARY KEY,
  patient_key TEXT NOT NULL UNIQUE,          -- DICOM PatientID, or derived from the file name for image datasets
  patient_name TEXT,                          -- identifiers stay here; exports use the pseudonym
  birth_date  TEXT,
  sex         TEXT,
  pseudonym   TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE studies (
  id          INTEGER PRIMARY KEY,
  patient_id  INTEGER NOT NULL REFERENCES patients(id),
  study_uid   TEXT NOT NULL UNIQUE,
  study_date  TEXT,
  description TEXT,
  accession   TEXT,
  imported_at TEXT NOT NULL
) STRICT;

CREATE TABLE images (
  id              INTEGER PRIMARY KEY,
  study_id        INTEGER NOT NULL REFERENCES studies(id),
  path            TEXT NOT NULL,
  sha256          TEXT NOT NULL UNIQUE,          -- of the file bytes: re-importing a file is a no-op
  pixel_sha256    TEXT NOT NULL,                 -- of the decoded stored pixels: keys the prediction cache
  series_uid      TEXT,
  sop_uid         TEXT,
  modality        TEXT,
  rows            INTEGER NOT NULL,
  columns         INTEGER NOT NULL,
  frames          INTEGER NOT NULL DEFAULT 1,
  bits_stored     INTEGER,
  photometric     TEXT,
  transfer_syntax TEXT,
  pixel_spacing_row_mm REAL,
  pixel_spacing_col_mm REAL,
  spacing_source  TEXT CHECK (spacing_source IN ('PixelSpacing', 'ImagerPixelSpacing')),
  laterality      TEXT CHECK (laterality IN ('L', 'R', 'B')),
  view            TEXT,
  source_format   TEXT NOT NULL CHECK (source_format IN ('dicom', 'png', 'jpeg', 'webp')),
  is_joint_crop   INTEGER NOT NULL DEFAULT 0 CHECK (is_joint_crop IN (0, 1)),
  -- what was already done to the pixels before import, JSON array, e.g. ["clahe"]: preprocessing
  -- reads it so a contrast step is never applied twice
  applied_steps   TEXT NOT NULL DEFAULT '[]',
  imported_at     TEXT NOT NULL
) STRICT;
CREATE INDEX images_study ON images(study_id);

CREATE TABLE knees (
  id          INTEGER PRIMARY KEY,
  image_id    INTEGER NOT NULL REFERENCES images(id),
  side        TEXT NOT NULL CHECK (side IN ('L', 'R')),   -- the patient's side
  -- automatic joint-centred crop, in image pixel coordinates
  crop_x      REAL NOT NULL,
  crop_y      REAL NOT NULL,
  crop_w      REAL NOT NULL,
  crop_h      REAL NOT NULL,
  crop_source TEXT NOT NULL CHECK (crop_source IN ('auto', 'whole-image')),
  UNIQUE (image_id, side)
) STRICT;

-- A reader's correction of a knee's crop; the latest one is the crop the models use. Append-only.
CREATE TABLE crop_edits (
  id         INTEGER PRIMARY KEY,
  knee_id    INTEGER NOT NULL REFERENCES knees(id),
  reader_id  INTEGER REFERENCES readers(id),
  crop_x     REAL NOT NULL,
  crop_y     REAL NOT NULL,
  crop_w     REAL NOT NULL,
  crop_h     REAL NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX crop_edits_knee ON crop_edits(knee_id);

CREATE TABLE readers (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  role       TEXT NOT NULL DEFAULT 'reader',
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE reading_sessions (
  id            INTEGER PRIMARY KEY,
  reader_id     INTEGER NOT NULL REFERENCES readers(id),
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL DEFAULT 'primary' CHECK (kind IN ('primary', 'reread')),
  reread_of     INTEGER REFERENCES reading_sessions(id),
  washout_days  INTEGER,
  blinded       INTEGER NOT NULL DEFAULT 0 CHECK (blinded IN (0, 1)),
  ai_aided      INTEGER NOT NULL DEFAULT 0 CHECK (ai_aided IN (0, 1)),
  order_seed    INTEGER NOT NULL,
  knee_order    TEXT NOT NULL,                 -- JSON array of knee ids in reading order
  status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'completed')),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;

CREATE TABLE grade_events (
  id            INTEGER PRIMARY KEY,
  knee_id       INTEGER NOT NULL REFERENCES knees(id),
  reader_id     INTEGER NOT NULL REFERENCES readers(id),
  session_id    INTEGER REFERENCES reading_sessions(id),
  kind          TEXT NOT NULL DEFAULT 'grade' CHECK (kind IN ('grade', 'retract')),
  klg           INTEGER CHECK (klg BETWEEN 0 AND 4),
  confidence    INTEGER CHECK (confidence BETWEEN 1 AND 5),
  osteophyte    INTEGER CHECK (osteophyte BETWEEN 0 AND 3),   -- OARSI atlas grade
  jsn           INTEGER CHECK (jsn BETWEEN 0 AND 3),          -- OARSI joint-space narrowing grade
  comment       TEXT,
  time_spent_ms INTEGER,
  retracts      INTEGER REFERENCES grade_events(id),
  created_at    TEXT NOT NULL,
  CHECK ((kind = 'grade' AND klg IS NOT NULL) OR (kind = 'retract' AND retracts IS NOT NULL))
) STRICT;
CREATE INDEX grade_events_knee_reader ON grade_events(knee_id, reader_id);
CREATE INDEX grade_events_retracts ON grade_events(retracts);
CREATE TRIGGER grade_events_no_update BEFORE UPDATE ON grade_events
  BEGIN SELECT RAISE(ABORT, 'grade_events is append-only'); END;
CREATE TRIGGER grade_events_no_delete BEFORE DELETE ON grade_events
  BEGIN SELECT RAISE(ABORT, 'grade_events is append-only'); END;

CREATE TABLE reference_labels (
  id         INTEGER PRIMARY KEY,
  knee_id    INTEGER NOT NULL REFERENCES knees(id),
  source     TEXT NOT NULL,                   -- e.g. 'folder', 'csv:labels.csv', 'phantom-truth'
  klg        INTEGER NOT NULL CHECK (klg BETWEEN 0 AND 4),
  created_at TEXT NOT NULL,
  UNIQUE (knee_id, source)
) STRICT;

CREATE TABLE models (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  version       TEXT NOT NULL,
  approach      TEXT NOT NULL CHECK (approach IN ('end-to-end', 'embedding', 'embedding-head')),
  sha256        TEXT NOT NULL UNIQUE,
  card_json     TEXT NOT NULL,
  registered_at TEXT NOT NULL
) STRICT;

CREATE TABLE predictions (
  id           INTEGER PRIMARY KEY,
  model_id     INTEGER NOT NULL REFERENCES models(id),
  knee_id      INTEGER NOT NULL REFERENCES knees(id),
  pixel_sha256 TEXT NOT NULL,
  crop_x       REAL NOT NULL,
  crop_y       REAL NOT NULL,
  crop_w       REAL NOT NULL,
  crop_h       REAL NOT NULL,
  probs        TEXT NOT NULL,                  -- JSON array of 5 probabilities, KL0..KL4
  klg          INTEGER NOT NULL CHECK (klg BETWEEN 0 AND 4),
  provider     TEXT NOT NULL,                  -- execution provider that computed it: 'cpu' or 'cuda'
  created_at   TEXT NOT NULL,
  UNIQUE (model_id, knee_id, pixel_sha256, crop_x, crop_y, crop_w, crop_h)
) STRICT;
CREATE INDEX predictions_knee ON predictions(knee_id);

CREATE TABLE embeddings (
  id           INTEGER PRIMARY KEY,
  model_id     INTEGER NOT NULL REFERENCES models(id),
  knee_id      INTEGER NOT NULL REFERENCES knees(id),
  pixel_sha256 TEXT NOT NULL,
  crop_x       REAL NOT NULL,
  crop_y       REAL NOT NULL,
  crop_w       REAL NOT NULL,
  crop_h       REAL NOT NULL,
  dim          INTEGER NOT NULL,
  vector       BLOB NOT NULL,                  -- float32 little endian
  created_at   TEXT NOT NULL,
  UNIQUE (model_id, knee_id, pixel_sha256, crop_x, crop_y, crop_w, crop_h)
) STRICT;

CREATE TABLE import_batches (
  id          INTEGER PRIMARY KEY,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  sources     TEXT NOT NULL,                   -- JSON array of the paths given
  summary     TEXT                             -- JSON counts
) STRICT;

CREATE TABLE import_errors (
  id         INTEGER PRIMARY KEY,
  batch_id   INTEGER NOT NULL REFERENCES import_batches(id),
  path       TEXT NOT NULL,
  code       TEXT NOT NULL,
  reason     TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
`,
};
