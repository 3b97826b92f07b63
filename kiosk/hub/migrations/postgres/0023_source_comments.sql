-- A source given or taken back in a change is a line of its conversation
-- (studio_sources.go, outside QA s29, finding 3): content_comments.action
-- also takes 'source-added' and 'source-removed'.
ALTER TABLE content_comments DROP CONSTRAINT content_comments_action_check;
ALTER TABLE content_comments ADD CONSTRAINT content_comments_action_check
	CHECK (action IN ('comment', 'proposed', 'approved', 'returned', 'source-added', 'source-removed'));
