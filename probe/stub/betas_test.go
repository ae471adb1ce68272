package stub

import (
	"slices"
	"testing"
)

// TestKnownBetas: checkBetas searches the list, so it must stay sorted; and
// the betas the SDKs add to credentials must be in it.
func TestKnownBetas(t *testing.T) {
	if !slices.IsSorted(knownBetas) || len(slices.Compact(slices.Clone(knownBetas))) != len(knownBetas) {
		t.Error("knownBetas is not sorted, or holds a value twice")
	}
	for _, b := range []string{oauthBeta, federationBeta, "message-batches-2024-09-24", "managed-agents-2026-04-01"} {
		if _, found := slices.BinarySearch(knownBetas, b); !found {
			t.Errorf("%s is not a known beta", b)
		}
	}
}
