package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/fix401/fix401/probe/demo"
	"github.com/fix401/fix401/steps"
)

// TestChecklistKeepsWords renders the checklist step of every demo at a
// wide and a narrow width: no line overflows, no cell is cut short, and no
// word of a row — a key hint, a URL, a variable name — is broken across
// two lines.
func TestChecklistKeepsWords(t *testing.T) {
	for _, s := range demo.Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			m, secrets := demoModel(t, s.Name, Options{NoColor: true})
			in := m.stepInput()
			var words []string
			for _, row := range steps.ChecklistRows(in.Report, in.SDKs) {
				words = append(words, strings.Fields(row.Item+" "+row.Result)...)
			}
			for _, row := range steps.TestRows(in.Report) {
				words = append(words, strings.Fields(row.Test+" "+row.Result+" "+row.Meaning+" "+row.Next)...)
			}
			for _, w := range []int{100, 60} {
				out := m.screen(steps.Checklist, w, 0)
				checkScreen(t, out, secrets)
				for i, l := range strings.Split(out, "\n") {
					if n := len([]rune(l)); n > w {
						t.Errorf("width %d: line %d is %d wide: %q", w, i, n, l)
					}
					if strings.Contains(l, "│") && strings.Contains(l, "…") {
						t.Errorf("width %d: a table cell is cut: %q", w, l)
					}
				}
				for _, word := range words {
					if !strings.Contains(out, word) {
						t.Errorf("width %d: %q is broken or missing:\n%s", w, word, out)
					}
				}
			}
		})
	}
}

func TestColumnWidths(t *testing.T) {
	cells := [][]string{
		{"", "Test", "This run", "Means", "Next"},
		{"[✓]", "Direct vs through a proxy", "via ANTHROPIC_BASE_URL: an HTML page answered", "short", "unset ANTHROPIC_AUTH_TOKEN now"},
	}
	cols := []column{{lines: 1}, {lines: 2}, {share: 4}, {share: 3}, {share: 3}}
	tests := []struct {
		name string
		w    int
		want []int // nil: the words do not fit
	}{
		// Six borders; mark 5; test 17 (two lines); then the widest words,
		// 21, 7 and 22, grow 4:3 (the middle column is all there), each up
		// to its widest cell, 48 and 32; what is left goes to the result.
		{"wide", 100, []int{5, 17, 37, 7, 28}},
		{"words only", 6 + 5 + 17 + 21 + 7 + 22, []int{5, 17, 21, 7, 22}},
		{"room to spare goes to the result", 120, []int{5, 17, 53, 7, 32}},
		{"a word cannot fit", 6 + 5 + 17 + 21 + 7 + 22 - 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := columnWidths(cells, tt.w, cols)
			if (got == nil) != (tt.want == nil) {
				t.Fatalf("widths %v, want %v", got, tt.want)
			}
			if tt.want == nil {
				return
			}
			sum := 6
			for i := range got {
				sum += got[i]
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("widths %v, want %v", got, tt.want)
			}
			if sum != tt.w {
				t.Errorf("widths %v add up to %d, want %d", got, sum, tt.w)
			}
		})
	}
}
