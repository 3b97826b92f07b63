-- One word for the act everywhere: "enroll", as in `tramso enroll` and
-- POST /api/enroll. The codes' table and the audit log's keys take it too;
-- rows logged before keep their labels in the console.
ALTER TABLE enrol_codes RENAME TO enroll_codes;
UPDATE admin_audit SET action = 'enroll' || substr(action, 6)
	WHERE action IN ('enrol_failed', 'enrol_throttled');
