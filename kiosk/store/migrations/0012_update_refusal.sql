-- The generation the update client refused for a defect of the pack, or took
-- back because it failed the check made right after switching to it
-- (kiosk/update): it is not fetched again, and its error stays shown in
-- staff mode, until the hub's target moves to another generation or staff
-- press "update now" — across a restart too. 0 and '' when there is none.
ALTER TABLE update_state ADD COLUMN refused_generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE update_state ADD COLUMN refused_error TEXT NOT NULL DEFAULT '';
ALTER TABLE update_state ADD COLUMN refused_error_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE update_state ADD COLUMN refused_under TEXT NOT NULL DEFAULT '';
