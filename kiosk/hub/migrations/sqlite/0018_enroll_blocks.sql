-- The address an enrollment tally counts, kept as is (the key is a hash) so
-- that the codes page can show which addresses are blocked and an admin can
-- lift one (throttle.go, enrollBlocks). '' for every other tally: login
-- tallies stay hashed only.
ALTER TABLE guess_tallies ADD COLUMN address TEXT NOT NULL DEFAULT '';
