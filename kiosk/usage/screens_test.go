package usage

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Every route of the UI must be a screen the log accepts, or its
// screen_viewed events would be refused. Add new routes to Screens.
func TestScreensAreTheRoutes(t *testing.T) {
	src, err := os.ReadFile("../../frontend/src/routes.ts")
	if err != nil {
		t.Fatal(err)
	}
	body := string(src)
	start := strings.Index(body, "export const routes")
	if start < 0 {
		t.Fatal("routes.ts has no `export const routes`")
	}
	body = body[start:]
	body = body[strings.Index(body, "{")+1 : strings.Index(body, "};")]
	keys := regexp.MustCompile(`(?m)^\s*'?([a-z][a-z0-9-]*)'?\s*:`).FindAllStringSubmatch(body, -1)
	if len(keys) < 3 {
		t.Fatalf("found only %d routes in routes.ts", len(keys))
	}
	for _, k := range keys {
		if !slices.Contains(Screens, k[1]) {
			t.Errorf("route %q of frontend/src/routes.ts is not in usage.Screens", k[1])
		}
	}
}
