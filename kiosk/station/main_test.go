package station

import (
	"testing"

	"tramso/kiosk/pgtest"
)

// TestMain stops the PostgreSQL server the hubs of these tests run on under
// TRAMSO_HUB_TEST_DB=postgres (hubtest.Database).
func TestMain(m *testing.M) { pgtest.Main(m) }
