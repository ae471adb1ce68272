package probe

import "fmt"

// budget keeps the variable expansion of one file within MaxValue,
// MaxExpansionDepth and MaxExpandedTotal. The dotenv and the shell scans
// each hold one per file.
type budget struct {
	added int // bytes the file's expansions have added so far
}

// take decides whether a value may be computed: size is its length once
// expanded, depth the longest chain of variables it reads through, and
// growth how many bytes expanding it adds to the text it came from. It
// returns why not, or "" and counts the growth against the file.
func (b *budget) take(size, depth, growth int) string {
	switch {
	case size > MaxValue:
		return fmt.Sprintf("its value grows past %d KiB when variables are expanded; fix401 did not compute it", MaxValue>>10)
	case depth > MaxExpansionDepth:
		return fmt.Sprintf("its value reads through more than %d variables; fix401 did not compute it", MaxExpansionDepth)
	case growth > 0 && b.added+growth > MaxExpandedTotal:
		return fmt.Sprintf("the variables expanded in this file add up to more than %d KiB; fix401 did not compute this value", MaxExpandedTotal>>10)
	}
	b.added += max(growth, 0)
	return ""
}
