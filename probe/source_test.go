package probe

import (
	"os"
	"testing"
)

// Each source lives in its own file, named after it, so listing
// probe/source_*.go answers "where does fix401 look for credentials".
func TestSourceFiles(t *testing.T) {
	seen := map[string]bool{}
	for _, name := range SourceNames() {
		if seen[name] {
			t.Errorf("source %q listed twice", name)
		}
		seen[name] = true
		if _, err := os.Stat("source_" + name + ".go"); err != nil {
			t.Errorf("source %q: %v", name, err)
		}
	}
}
