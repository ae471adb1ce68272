package lint

import (
	"regexp"
	"strings"
)

// fastRe is a regexp that runs only when one of its literals occurs in the
// input. Go's regexp cannot skip ahead for patterns that start with \b or an
// alternation, and source skeletons are up to 2 MiB.
type fastRe struct {
	re    *regexp.Regexp
	needs []string
}

func fast(expr string, needs ...string) fastRe {
	return fastRe{re: regexp.MustCompile(expr), needs: needs}
}

func (f fastRe) may(s string) bool {
	for _, n := range f.needs {
		if strings.Contains(s, n) {
			return true
		}
	}
	return len(f.needs) == 0
}

func (f fastRe) MatchString(s string) bool { return f.may(s) && f.re.MatchString(s) }

func (f fastRe) FindStringIndex(s string) []int {
	if !f.may(s) {
		return nil
	}
	return f.re.FindStringIndex(s)
}

func (f fastRe) FindAllStringIndex(s string, n int) [][]int {
	if !f.may(s) {
		return nil
	}
	return f.re.FindAllStringIndex(s, n)
}

func (f fastRe) FindAllStringSubmatchIndex(s string, n int) [][]int {
	if !f.may(s) {
		return nil
	}
	return f.re.FindAllStringSubmatchIndex(s, n)
}
