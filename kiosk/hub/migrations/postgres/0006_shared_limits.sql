-- What several hubs on one database must share beyond the fleet's tables:
-- the same tables as sqlite/0006_shared_limits.sql (which says what each is
-- for), plus the trigger that makes a rollout change notify every hub.

CREATE TABLE guess_tallies (
	tally_key  TEXT COLLATE "C" PRIMARY KEY,   -- sha256 hex of the throttle's kind and ceiling key
	window_end TEXT COLLATE "C" NOT NULL,      -- RFC 3339 UTC; the count starts again after it
	failures   BIGINT NOT NULL,
	refused    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX guess_tallies_by_end ON guess_tallies(window_end);

CREATE TABLE device_buckets (
	device_id TEXT COLLATE "C" NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
	kind      TEXT COLLATE "C" NOT NULL,       -- 'report' or 'usage'
	tokens    DOUBLE PRECISION NOT NULL,
	last_ms   BIGINT NOT NULL,                 -- unix milliseconds
	PRIMARY KEY (device_id, kind)
);

CREATE TABLE hubs (
	id      TEXT COLLATE "C" PRIMARY KEY,
	seen_at TEXT COLLATE "C" NOT NULL
);
ALTER TABLE devices ADD COLUMN connected_hub TEXT COLLATE "C";
ALTER TABLE devices ADD COLUMN left_at TEXT COLLATE "C";
ALTER TABLE devices ADD COLUMN presence TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX devices_by_presence ON devices(presence, connected_hub);

-- Every change that may move a device's target bumps fleet_version in its
-- transaction (publish, stage, halt, withdraw: from a hub or the CLI). The
-- trigger makes that transaction notify every listening hub when it commits
-- (PGBroker, channel tramso_hub), with the payload a hub's own EventRollout
-- has, so hubs react to both the same way. Rolled back: no notification.
CREATE FUNCTION tramso_fleet_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('tramso_hub', '{"kind":"rollout"}');
	RETURN NULL;
END;
$$;
CREATE TRIGGER fleet_version_notify AFTER INSERT OR UPDATE ON fleet_version
	FOR EACH ROW EXECUTE FUNCTION tramso_fleet_changed();
