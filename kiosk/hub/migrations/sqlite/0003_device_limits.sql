-- The last refusal (rejected, failed or rolled back) each device reported,
-- kept on its row: reports are pruned per device and rate-limited, and
-- neither may ever hide a kiosk that refuses a pack.
ALTER TABLE devices ADD COLUMN last_refusal_outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN last_refusal TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN last_refusal_generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN last_refusal_at TEXT NOT NULL DEFAULT '';
