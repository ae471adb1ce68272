package lint

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The floors TestCorpus holds lint to: the figures reached on the corpus
// when they were last raised. A change that loses findings or adds false
// alarms fails here.
const (
	corpusMinSamples   = 40
	corpusMinPrecision = 1.00
	corpusMinRecall    = 1.00
)

// corpusWant is one expected finding: an id on a line (0: the whole input).
type corpusWant struct {
	id   string
	line int
}

// readCorpusWant reads a sidecar and places each want on the line of the
// sample that holds its anchor text; a second want with the same anchor
// takes the next such line.
func readCorpusWant(t *testing.T, path string, src []byte) (source string, wants []corpusWant) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := strings.Split(string(src), "\n")
	next := map[string]int{} // anchor → index to search from
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, rest, _ := strings.Cut(sc.Text(), ":")
		rest = strings.TrimSpace(rest)
		switch key {
		case "source":
			source = rest
		case "want":
			id, anchor, _ := strings.Cut(rest, " ")
			anchor = strings.TrimSpace(anchor)
			if len(anchor) > 1 && strings.HasPrefix(anchor, "`") && strings.HasSuffix(anchor, "`") {
				anchor = anchor[1 : len(anchor)-1] // keeps the blanks inside
			}
			if !slices.Contains(IDs, id) {
				t.Fatalf("%s: unknown id %q", path, id)
			}
			if anchor == "-" {
				wants = append(wants, corpusWant{id, 0})
				continue
			}
			i := next[anchor]
			for i < len(lines) && !strings.Contains(lines[i], anchor) {
				i++
			}
			if i == len(lines) {
				t.Fatalf("%s: no line (after line %d) holds %q", path, next[anchor], anchor)
			}
			next[anchor] = i + 1
			wants = append(wants, corpusWant{id, i + 1})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return source, wants
}

// TestCorpus lints public samples (testdata/corpus, sources in the
// sidecars) and scores the findings against what a reader expects:
// precision and recall over (id, line) pairs.
func TestCorpus(t *testing.T) {
	sidecars, err := filepath.Glob("testdata/corpus/*.want")
	if err != nil {
		t.Fatal(err)
	}
	if len(sidecars) < corpusMinSamples {
		t.Fatalf("%d samples; the corpus needs at least %d", len(sidecars), corpusMinSamples)
	}
	tp, fp, fn := 0, 0, 0
	for _, sidecar := range sidecars {
		sample := strings.TrimSuffix(sidecar, ".want")
		name := filepath.Base(sample)
		src := readFixture(t, sample)
		source, wants := readCorpusWant(t, sidecar, src)
		if !strings.HasPrefix(source, "https://") {
			t.Errorf("%s: the sidecar names no source", name)
		}
		r := lintAt(name, src, testNow)
		assertNoKey(t, r)
		got := map[corpusWant]Finding{}
		for _, f := range r.Findings {
			got[corpusWant{f.ID, f.Line}] = f
		}
		want := map[corpusWant]int{}
		for _, w := range wants {
			want[w]++
		}
		var report []string
		for w, n := range want {
			if _, ok := got[w]; ok {
				tp++
				n--
			}
			fn += n
			for range n {
				report = append(report, fmt.Sprintf("missed %s on line %d", w.id, w.line))
			}
		}
		for g, f := range got {
			if want[g] == 0 {
				fp++
				report = append(report, fmt.Sprintf("false %s on line %d: %s", g.id, g.line, f.Message))
			}
		}
		slices.Sort(report)
		for _, line := range report {
			t.Logf("%s: %s", name, line)
		}
	}
	precision := ratio(tp, tp+fp)
	recall := ratio(tp, tp+fn)
	t.Logf("corpus: %d samples, %d expected findings, %d reported; precision %.2f (%d/%d), recall %.2f (%d/%d)",
		len(sidecars), tp+fn, tp+fp, precision, tp, tp+fp, recall, tp, tp+fn)
	if precision < corpusMinPrecision || recall < corpusMinRecall {
		t.Errorf("precision %.2f, recall %.2f: below the floors %.2f, %.2f", precision, recall, corpusMinPrecision, corpusMinRecall)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
