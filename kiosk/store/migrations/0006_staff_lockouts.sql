-- How many lockouts in a row: each doubles the next one, until a right PIN.
ALTER TABLE staff_lockout ADD COLUMN lockouts INTEGER NOT NULL DEFAULT 0;
