package probe

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHygieneCleanKeys(t *testing.T) {
	for _, prefix := range []string{PrefixAPI, PrefixAdmin, PrefixOAuthAccess, PrefixOAuthRefresh} {
		for range 200 {
			k := ktKey(prefix)
			clean, issues := Hygiene(k)
			if clean != k || len(issues) != 0 {
				t.Fatalf("a well-formed %s key: clean changed=%v, issues %v", prefix, clean != k, issues)
			}
		}
	}
	// A long OAuth token of unpublished length is not flagged either.
	if _, issues := Hygiene(PrefixOAuthAccess + ktRandom(150)); len(issues) != 0 {
		t.Errorf("oauth token of another length flagged: %v", issues)
	}
}

func TestHygiene(t *testing.T) {
	k := ktKey(PrefixAPI)
	adm := ktKey(PrefixAdmin)
	same := func(string) string { return k }
	tests := []struct {
		name   string
		value  string
		codes  []string
		clean  func(string) string // nil: the value itself
		detail string              // a substring of one issue's detail
	}{
		{"empty", "", []string{IssueEmpty}, nil, "is empty"},
		{"trailing newline", k + "\n", []string{IssueNewline}, same, `ends with a newline (\n)`},
		{"trailing CRLF", k + "\r\n", []string{IssueNewline, IssueCR}, same, `ends with a carriage return (\r)`},
		{"embedded newline", k[:60] + "\n" + k[60:], []string{IssueNewline}, same, `newline (\n) at character 61`},
		{"embedded CR", k[:60] + "\r" + k[60:], []string{IssueCR}, same, `carriage return (\r) at character 61`},
		{"escaped newline", k + `\n`, []string{IssueNewline}, same, `escaped newline`},
		{"leading and trailing spaces", "  " + k + " ", []string{IssueWhitespace}, same, "starts with 2 spaces; ends with a space"},
		{"trailing tab", k + "\t", []string{IssueWhitespace}, same, "ends with a tab"},
		{"inner space is kept", k[:50] + " " + k[51:], []string{IssueWhitespace}, nil, "space at character 51"},
		{"double quotes", `"` + k + `"`, []string{IssueQuotes}, same, "is wrapped in double quotes"},
		{"single quote at one end", "'" + k, []string{IssueQuotes}, same, "starts with a single quote"},
		{"backticks", "`" + k + "`", []string{IssueQuotes}, same, "wrapped in backticks"},
		{"quote inside", k[:40] + `"` + k[41:], []string{IssueQuotes}, nil, "double quote at character 41"},
		{"smart quotes", "“" + k + "”", []string{IssueSmartQuotes}, same, "left double quote (U+201C)"},
		{"smart single quotes", "‘" + k + "’", []string{IssueSmartQuotes}, same, "right single quote (U+2019)"},
		{"zero-width space", k[:40] + "\u200b" + k[40:], []string{IssueInvisible}, same, "zero-width space (U+200B) at character 41"},
		{"byte order mark", "\ufeff" + k, []string{IssueInvisible}, same, "starts with a byte order mark (U+FEFF)"},
		{"no-break space", k + "\u00a0", []string{IssueInvisible}, same, "ends with a no-break space (U+00A0)"},
		{"soft hyphen", k[:70] + "\u00ad" + k[70:], []string{IssueInvisible}, same, "soft hyphen (U+00AD) at character 71"},
		{"word joiner and zwj", k[:20] + "\u2060" + k[20:30] + "\u200d" + k[30:], []string{IssueInvisible}, same, "zero-width joiner (U+200D) at character 32"},
		{"control character", k[:30] + "\x07" + k[30:], []string{IssueInvisible}, same, "control character (U+0007) at character 31"},
		{"several invisible", k[:10] + "\u200b" + k[10:20] + "\u200b" + k[20:30] + "\u200b" + k[30:40] + "\u200b" + k[40:],
			[]string{IssueInvisible}, same, "at characters 11, 22, 33, and 1 more"},
		{"en dash in the prefix", "sk–ant-api03-" + k[13:], []string{IssueNonASCII}, same, "en dash (U+2013) at character 3"},
		{"minus sign", "sk-ant−api03-" + k[13:], []string{IssueNonASCII}, same, "minus sign (U+2212) at character 7"},
		{"em dash for one hyphen", "sk-ant—api03-" + k[13:], []string{IssueNonASCII}, same, "em dash (U+2014) at character 7"},
		{"em dash for two hyphens", strings.Replace(PrefixAPI+"ab--"+k[17:], "--", "—", 1), []string{IssueNonASCII},
			func(string) string { return PrefixAPI + "ab--" + k[17:] }, "em dash"},
		{"full-width letter", "sk-ant-api03-" + "Ａ" + k[14:], []string{IssueNonASCII}, func(string) string { return PrefixAPI + "A" + k[14:] }, "full-width character (U+FF21) at character 14"},
		{"Cyrillic look-alike is kept", k[:50] + "а" + k[51:], []string{IssueNonASCII}, nil, "Cyrillic letter (U+0430) at character 51"},
		{"invalid UTF-8 becomes U+FFFD", k[:50] + "\xff" + k[51:], []string{IssueNonASCII}, func(string) string { return k[:50] + "\uFFFD" + k[51:] }, "invalid UTF-8 byte"},
		{"Bearer prefix", "Bearer " + k, []string{IssueBearer}, same, `starts with "Bearer "`},
		{"bearer lower case", "bearer  " + k, []string{IssueBearer}, same, "Bearer"},
		{"Authorization header", "Authorization: Bearer " + k, []string{IssueBearer}, same, "header name"},
		{"x-api-key header", "x-api-key: " + k, []string{IssueHeader}, same, "x-api-key:"},
		{"variable prefix", "ANTHROPIC_API_KEY=" + k, []string{IssueVarPrefix}, same, "variable name and '='"},
		{"export line", `export ANTHROPIC_API_KEY="` + k + `"`, []string{IssueQuotes, IssueVarPrefix}, same, "wrapped in double quotes"},
		{"everything at once", " \"Bearer " + k[:40] + "\u200b" + k[40:] + "\"\r\n", []string{IssueWhitespace, IssueNewline, IssueCR, IssueQuotes, IssueInvisible, IssueBearer}, same, ""},
		{"truncated by one", k[:107], []string{IssueTruncated}, nil, "is 107 characters; API keys are 108"},
		{"truncated a lot", k[:60], []string{IssueTruncated}, nil, "is 60 characters"},
		{"missing the AA ending", k[:106] + "Ab", []string{IssueTruncated}, nil, "does not end in AA"},
		{"too long", k + "x", []string{IssueLength}, nil, "is 109 characters; API keys are 108"},
		{"pasted twice", k + k, []string{IssueLength}, nil, "more than one key"},
		{"admin key truncated", adm[:100], []string{IssueTruncated}, nil, "is 100 characters; admin keys are 110"},
		{"alphabet", k[:30] + "." + k[31:], []string{IssueAlphabet}, nil, "'.' at character 31"},
		{"alphabet in oauth token", PrefixOAuthAccess + ktRandom(40) + "+" + ktRandom(40), []string{IssueAlphabet}, nil, "'+' at character 54"},
		{"Console hint instead of key", PrefixAPI + "R2D...igAA", []string{IssueMasked}, nil, "three dots at character 17"},
		{"ellipsis hint", PrefixAPI + "R2D…igAA", []string{IssueMasked}, nil, "ellipsis"},
		{"asterisks", PrefixAPI + "****************", []string{IssueMasked}, nil, "asterisks"},
		{"placeholder", "your-api-key-here", []string{IssuePlaceholder}, nil, "placeholder"},
		{"placeholder with prefix", PrefixAPI + "xxxxxxxxxxxxxxxx", []string{IssuePlaceholder}, nil, "placeholder"},
		{"angle brackets", "<your key>", []string{IssueWhitespace, IssuePlaceholder}, nil, "placeholder"},
		{"only whitespace", " \n", []string{IssueEmpty, IssueWhitespace, IssueNewline}, func(string) string { return "" }, "is empty once cleaned"},
		{"only quotes", `""`, []string{IssueEmpty, IssueQuotes}, func(string) string { return "" }, "is empty once cleaned"},
		{"other provider untouched", "sk-proj-" + strings.Repeat("Ab1", 40), nil, nil, ""},
		{"unknown value untouched", "abcdefghijklmnopqrstuvwxyz0123456789", nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clean, issues := Hygiene(tt.value)
			var codes []string
			for _, is := range issues {
				codes = append(codes, is.Code)
			}
			if !slices.Equal(codes, tt.codes) {
				t.Errorf("codes = %v, want %v (issues %v)", codes, tt.codes, issues)
			}
			want := tt.value
			if tt.clean != nil {
				want = tt.clean(tt.value)
			}
			if clean != want {
				t.Errorf("clean = %q, want %q", Hint(clean), Hint(want))
			}
			if tt.detail != "" && !slices.ContainsFunc(issues, func(is Issue) bool { return strings.Contains(is.Detail, tt.detail) }) {
				t.Errorf("no detail contains %q: %v", tt.detail, issues)
			}
			ktNoKeyInIssues(t, tt.value, issues)
		})
	}
}

// TestHygieneCodesDocumented makes sure every code Hygiene can emit is in
// the report order, so none is silently dropped.
func TestHygieneCodesDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range hyIssueOrder {
		if seen[c] {
			t.Errorf("code %s listed twice", c)
		}
		seen[c] = true
	}
	for _, c := range []string{IssueEmpty, IssueWhitespace, IssueNewline, IssueCR, IssueQuotes, IssueSmartQuotes,
		IssueInvisible, IssueNonASCII, IssueBearer, IssueHeader, IssueVarPrefix, IssueMasked, IssuePlaceholder,
		IssueLength, IssueAlphabet, IssueTruncated} {
		if !seen[c] {
			t.Errorf("code %s missing from hyIssueOrder", c)
		}
	}
}

// TestHygieneVocabulary keeps the fuzz property meaningful: no word Hygiene
// writes has 12 characters of the key alphabet in a row, so a detail can
// only contain 12 such characters by copying them from the value.
func TestHygieneVocabulary(t *testing.T) {
	var words []string
	for r := range hyRuneNames {
		words = append(words, hyCharName(r))
	}
	for _, r := range []rune{0x1, 0x85, 0x2003, 0x202a, 0x2063, 0xff21, 0x0430, 0x03b1, 0x00e9, 0x2603, 0xfffd} {
		words = append(words, hyCharName(r))
	}
	k := ktKey(PrefixAPI)
	for _, v := range []string{k[:50], k + k, k[:106] + "Ab", PrefixAPI + "a...b", "x-api-key: " + k, "Authorization: Bearer " + k, "ANTHROPIC_API_KEY=" + k, "your key", ktKey(PrefixAdmin)[:90]} {
		_, issues := Hygiene(v)
		for _, is := range issues {
			words = append(words, is.Detail)
		}
	}
	for _, w := range words {
		if run := ktLongestKeyRun(w); run >= 12 {
			t.Errorf("%q has a run of %d key characters", w, run)
		}
	}
}

func ktLongestKeyRun(s string) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if keyByte(s[i]) {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

// ktNoKeyInIssues fails when an issue's detail holds 12 key characters in
// a row taken from value.
func ktNoKeyInIssues(t testing.TB, value string, issues []Issue) {
	t.Helper()
	for i := 0; i+12 <= len(value); i++ {
		piece := value[i : i+12]
		if ktLongestKeyRun(piece) < 12 {
			continue
		}
		for _, is := range issues {
			if strings.Contains(is.Detail, piece) {
				t.Fatalf("issue %s shows part of the value: %q", is.Code, is.Detail)
			}
		}
	}
}

func FuzzHygiene(f *testing.F) {
	k := ktKey(PrefixAPI)
	for _, s := range []string{"", k, k + "\r\n", "\"Bearer " + k + "\"", k[:40] + "\u200b" + k[40:], "ANTHROPIC_API_KEY='" + k + "'",
		"sk–ant-api03-" + k[13:], PrefixAPI + "R2D...igAA", "\xff\xfe", "“" + k + "”", k[:20] + "—" + k[22:], "x-api-key: \\n",
		"0000\xdb\r\x9d", "BeA." + strings.Repeat("0", 60)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		clean, issues := Hygiene(v)
		if strings.ContainsAny(clean, "\r\n") {
			t.Fatalf("clean has a line break: %q", clean)
		}
		for _, r := range clean {
			if r != utf8.RuneError && hyInvisible(r) {
				t.Fatalf("clean has invisible U+%04X", r)
			}
		}
		if len(clean) > len(v)*3 { // an invalid byte becomes a 3-byte U+FFFD
			t.Fatalf("clean grew: %d -> %d bytes", len(v), len(clean))
		}
		if len(issues) == 0 && clean != v {
			t.Fatalf("value changed without an issue")
		}
		if again, more := Hygiene(clean); clean != "" && again != clean {
			t.Fatalf("cleaning is not stable: %q -> %q (%v)", clean, again, more)
		}
		ktNoKeyInIssues(t, v, issues)
		for _, s := range []string{v, clean} {
			if h := Hint(s); !ktHintAllowed(s, h) {
				t.Fatalf("Hint(%q) = %q reveals too much", s, h)
			}
		}
	})
}

func BenchmarkHygiene(b *testing.B) {
	k := ktKey(PrefixAPI)
	for _, bc := range []struct{ name, v string }{
		{"clean", k},
		{"dirty", " \"Bearer " + k[:40] + "\u200b" + k[40:] + "\"\r\n"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				Hygiene(bc.v)
			}
		})
	}
}
