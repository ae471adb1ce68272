package probe

import (
	"fmt"
	"maps"
	"runtime"
	"strings"
	"testing"

	"github.com/joho/godotenv"
)

// FuzzParseDotenv holds the port to godotenv itself: the same values and
// the same verdict on every input that stays within the bounds. (godotenv
// runs only then: past them it could take all memory.)
func FuzzParseDotenv(f *testing.F) {
	for _, s := range []string{
		"A=1\nB=${A}$A\\$A\n",
		"export A = \"x\\ny $B\" # c\n#B=2\nB: 'q\\'r'\n",
		"A=\"multi\nline\"\r\nC=${A}-$(A)-${}\n",
		"1A.b=é\n A B = c #d\nunterminated='x\n",
		"X=\"\\$A \\q \\r\"\nY=\"\"\"\nZ=",
		"K=sk-ant-api03-abc\nANTHROPIC_API_KEY=${K}${K}\n",
		"#\n#\n\n   \t\n",
		"A=b\x85c\xa0\nB=$A$A$A$A",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := parseDotenv(data)
		if len(got.over) > 0 {
			return
		}
		want, werr := godotenv.UnmarshalBytes(data)
		if (err == nil) != (werr == nil) {
			t.Fatalf("error %v, godotenv %v", err, werr)
		}
		if !maps.Equal(got.vals, want) {
			t.Fatalf("values %q, godotenv %q", got.vals, want)
		}
	})
}

// doubling returns .env text in which each variable is the one before
// twice: n lines make 2^n copies of the first value.
func doubling(n int, ref func(name string) string) string {
	var b strings.Builder
	b.WriteString("V0=sk-ant-api03-aaaaaaaaaaaaaaaaaaaaaaaa\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "V%d=%s%s\n", i, ref(fmt.Sprint("V", i-1)), ref(fmt.Sprint("V", i-1)))
	}
	fmt.Fprintf(&b, "export ANTHROPIC_API_KEY=%s\n", ref(fmt.Sprint("V", n)))
	return b.String()
}

// chain returns text in which each variable reads the one before.
func chain(n int, ref func(name string) string) string {
	var b strings.Builder
	b.WriteString("V0=sk-ant-api03-aaaaaaaaaaaaaaaaaaaaaaaa\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "V%d=%s\n", i, ref(fmt.Sprint("V", i-1)))
	}
	fmt.Fprintf(&b, "export ANTHROPIC_API_KEY=%s\n", ref(fmt.Sprint("V", n)))
	return b.String()
}

// wide returns text in which many variables each copy one long value.
func wide(n int, ref func(name string) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "V0=%s\n", strings.Repeat("a", 4000))
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "V%d=%s\n", i, ref("V0"))
	}
	fmt.Fprintf(&b, "export ANTHROPIC_API_KEY=%s\n", ref("V0"))
	return b.String()
}

func braces(name string) string { return "${" + name + "}" }

func TestParseDotenvBounds(t *testing.T) {
	tests := []struct {
		name, src string
		over      string // the reason for ANTHROPIC_API_KEY; "" when computed
	}{
		{"doubling", doubling(64, braces), "grows past 4 KiB"},
		{"doubling within the bound", doubling(6, braces), ""},
		{"deep chain", chain(MaxExpansionDepth+1, braces), fmt.Sprintf("more than %d variables", MaxExpansionDepth)},
		{"chain at the bound", chain(MaxExpansionDepth-1, braces), ""},
		{"many copies", wide(MaxExpandedTotal/4000+1, braces), "add up to more than 256 KiB"},
		{"reads a value not computed", doubling(64, braces) + "ANTHROPIC_API_KEY=x${ANTHROPIC_API_KEY}\n", "grows past 4 KiB"},
		{"a later plain value is computed again", doubling(64, braces) + "ANTHROPIC_API_KEY=plain\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := parseDotenv([]byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			why, over := res.over[VarAPIKey]
			if _, ok := res.vals[VarAPIKey]; ok == over {
				t.Fatalf("the key is in vals %v and in over %v", ok, over)
			}
			if tt.over == "" && over || tt.over != "" && !strings.Contains(why, tt.over) {
				t.Errorf("over %q, want %q", why, tt.over)
			}
		})
	}
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestDiscoverDoublingDotenv is issue 15's 450-byte .env that took check
// past 4 GB: the scan now stays within a few MiB.
func TestDiscoverDoublingDotenv(t *testing.T) {
	home, dir := ktProject(t)
	src := doubling(33, braces)
	ktWrite(t, dir+"/.env", src)
	var cs []Candidate
	if n := allocated(func() { cs = Discover(&Env{Home: home, Dir: dir}) }); n > 64<<20 {
		t.Errorf("Discover allocated %d MiB for a %d-byte .env", n>>20, len(src))
	}
	last := cs[len(cs)-1]
	if last.Var != VarAPIKey || last.Hint != "(not evaluated)" || len(last.Issues) != 1 || last.Issues[0].Code != IssueUnresolved ||
		!strings.Contains(last.Issues[0].Detail, "grows past 4 KiB") {
		t.Errorf("the key: %s %s %+v", last.Source, last.Hint, last.Issues)
	}
}

func dollar(name string) string { return "$" + name }

func TestDiscoverShellExpansionBounds(t *testing.T) {
	appends := "A=sk-ant-api03-x\n" + strings.Repeat("A+="+strings.Repeat("a", 1000)+"\n", 5) + "export ANTHROPIC_API_KEY=$A\n"
	tests := []struct {
		name, src string
		over      string // the reason for the key; "" when computed
	}{
		{"doubling", doubling(40, dollar), "grows past 4 KiB"},
		{"doubling in braces and quotes", doubling(40, func(n string) string { return `"${` + n + `}"` }), "grows past 4 KiB"},
		{"doubling within the bound", doubling(6, dollar), ""},
		{"deep chain", chain(MaxExpansionDepth+1, dollar), fmt.Sprintf("more than %d variables", MaxExpansionDepth)},
		{"chain at the bound", chain(MaxExpansionDepth-1, dollar), ""},
		{"many copies", wide(MaxExpandedTotal/4000+1, dollar), "add up to more than 256 KiB"},
		{"appending", appends, "grows past 4 KiB"},
		{"replacement in every byte", "A=" + strings.Repeat("a", 200) + "\nexport ANTHROPIC_API_KEY=${A//?/$A}\n", "grows past 4 KiB"},
		{"default from a long value", "A=" + strings.Repeat("a", 3000) + "\nexport ANTHROPIC_API_KEY=${X:-$A$A}\n", "grows past 4 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, dir := ktProject(t)
			ktWrite(t, home+"/.bashrc", tt.src)
			cs := Discover(&Env{Home: home, Dir: dir})
			var key *Candidate
			for i := range cs {
				if cs[i].Var == VarAPIKey {
					key = &cs[i]
				}
			}
			if key == nil {
				t.Fatalf("no key among %v", ktSources(cs))
			}
			var why string
			for _, is := range key.Issues {
				if is.Code == IssueUnresolved {
					why = is.Detail
				}
			}
			if tt.over == "" && strings.Contains(why, "fix401 did not compute") || tt.over != "" && !strings.Contains(why, tt.over) {
				t.Errorf("reason %q, want %q", why, tt.over)
			}
		})
	}
}

// TestDiscoverDoublingBashrc is issue 15's 303-byte ~/.bashrc that took
// check to 900 MB and more.
func TestDiscoverDoublingBashrc(t *testing.T) {
	home, dir := ktProject(t)
	for _, src := range []string{doubling(33, dollar), doubling(33, braces)} {
		ktWrite(t, home+"/.bashrc", src)
		var cs []Candidate
		if n := allocated(func() { cs = Discover(&Env{Home: home, Dir: dir}) }); n > 64<<20 {
			t.Errorf("Discover allocated %d MiB for a %d-byte .bashrc", n>>20, len(src))
		}
		if last := cs[len(cs)-1]; last.Var != VarAPIKey || last.Hint != "(not evaluated)" {
			t.Errorf("the key: %s %s %+v", last.Source, last.Hint, last.Issues)
		}
	}
}
