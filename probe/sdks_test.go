package probe

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

func TestFindSDKs(t *testing.T) {
	goSDK := func(v, file string, line int) SDK {
		return SDK{Name: "anthropic-sdk-go", Version: v, File: file, Line: line, Ecosystem: EcoGo}
	}
	npm := func(name, v, file string, line int) SDK {
		return SDK{Name: name, Version: v, File: file, Line: line, Ecosystem: EcoNPM}
	}
	py := func(name, v, file string, line int) SDK {
		return SDK{Name: name, Version: v, File: file, Line: line, Ecosystem: EcoPyPI}
	}
	tests := []struct {
		dir  string
		want []SDK
	}{
		{"go", []SDK{goSDK("v1.13.0 => ../anthropic-sdk-go", "go.mod", 7)}},
		{"gov2", []SDK{goSDK("v2.0.1", "go.mod", 3)}},
		{"npm", []SDK{
			npm("@anthropic-ai/sdk", "^0.30.0", "package.json", 5),
			npm("@anthropic-ai/claude-agent-sdk", "~0.1.0", "package.json", 9),
			npm("@anthropic-ai/claude-agent-sdk", "0.1.5", "package-lock.json", 15),
			npm("@anthropic-ai/sdk", "0.30.1", "package-lock.json", 19),
		}},
		{"npmv1", []SDK{npm("@anthropic-ai/sdk", "0.24.3", "package-lock.json", 6)}},
		{"npmv3nosdk", nil}, // declared, not installed; a stray v1-style section is not read in v3
		{"pnpm9", []SDK{
			npm("@anthropic-ai/sdk", "0.30.1", "pnpm-lock.yaml", 12),
			npm("@ai-sdk/anthropic", "1.0.0", "pnpm-lock.yaml", 16),
		}},
		{"pnpm6", []SDK{npm("@anthropic-ai/sdk", "0.22.0", "pnpm-lock.yaml", 6)}},
		{"pnpm5", []SDK{npm("@anthropic-ai/sdk", "0.10.2", "pnpm-lock.yaml", 7)}},
		{"yarn1", []SDK{
			npm("@anthropic-ai/sdk", "0.30.1", "yarn.lock", 6),
			npm("@anthropic-ai/sdk", "0.9.1", "yarn.lock", 12),
		}},
		{"yarnberry", []SDK{npm("@anthropic-ai/claude-agent-sdk", "0.1.30", "yarn.lock", 8)}},
		{"pip", []SDK{
			py("anthropic", "==0.39.0", "requirements-base.txt", 1),
			py("claude-agent-sdk", "==0.1.4", "requirements-dev.txt", 1),
			py("langchain-anthropic", "@ git+https://github.com/langchain-ai/langchain.git@v0.3.0#subdirectory=libs/partners/anthropic",
				"requirements-dev.txt", 3),
			py("anthropic", "", "requirements-dev.txt", 4),
			py("anthropic", ">=0.40,<1", "requirements.txt", 5),
		}},
		{"pyproject", []SDK{
			py("anthropic", ">=0.40.0", "pyproject.toml", 10),
			py("claude-agent-sdk", ">=0.1", "pyproject.toml", 15),
			py("langchain-anthropic", "==0.3.1", "pyproject.toml", 20),
			py("anthropic", "==0.41.0", "pyproject.toml", 24),
			py("anthropic", "0.42.0", "uv.lock", 6),
		}},
		{"poetry", []SDK{
			py("anthropic", "^0.40.0", "pyproject.toml", 7),
			py("claude-agent-sdk", "^0.1.0", "pyproject.toml", 10),
			py("langchain-anthropic", "0.3.0", "pyproject.toml", 13),
			py("anthropic", "0.40.2", "poetry.lock", 5),
			py("claude-agent-sdk", "0.1.6", "poetry.lock", 18),
		}},
		{"pipenv", []SDK{
			py("anthropic", "*", "Pipfile", 6),
			py("claude-agent-sdk", ">=0.1", "Pipfile", 9),
			py("anthropic", "0.40.0", "Pipfile.lock", 6),
			py("claude-agent-sdk", "0.1.2", "Pipfile.lock", 11),
		}},
		{"java", []SDK{
			{Name: "com.anthropic:anthropic-java", Version: "2.1.0", File: "pom.xml", Line: 8, Ecosystem: EcoMaven},
			{Name: "com.anthropic:anthropic-java", Version: "2.2.0", File: "build.gradle.kts", Line: 2, Ecosystem: EcoMaven},
			{Name: "com.anthropic:anthropic-java-bedrock", Version: "", File: "build.gradle.kts", Line: 3, Ecosystem: EcoMaven},
		}},
		{"ruby", []SDK{
			{Name: "anthropic", Version: "~> 1.0, >= 1.0.2", File: "Gemfile", Line: 4, Ecosystem: EcoRubyGems},
			{Name: "anthropic", Version: "1.5.0", File: "Gemfile.lock", Line: 4, Ecosystem: EcoRubyGems},
		}},
		{"php", []SDK{
			{Name: "anthropic-ai/sdk", Version: "^0.3", File: "composer.json", Line: 4, Ecosystem: EcoPackagist},
			{Name: "anthropic-ai/sdk", Version: "v0.3.1", File: "composer.lock", Line: 8, Ecosystem: EcoPackagist},
		}},
		{"none", nil},
		{"nested", nil}, // node_modules and sub/ are not read; package.json is a directory
		{"garbage", nil},
		{"does-not-exist", nil},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			got := FindSDKs(filepath.Join("testdata", "sdks", tt.dir))
			if !slices.Equal(got, tt.want) {
				t.Errorf("FindSDKs(%s):\n got %s\nwant %s", tt.dir, dumpSDKs(got), dumpSDKs(tt.want))
			}
		})
	}
}

func dumpSDKs(ss []SDK) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString("\n  " + s.Ecosystem + " " + s.String())
	}
	return b.String()
}

// TestFindSDKsFileLimit checks that a lock file past the size limit is read
// only up to it: an entry beyond the limit is not reported.
func TestFindSDKsFileLimit(t *testing.T) {
	entry := "\n[[package]]\nname = \"anthropic\"\nversion = \"0.40.0\"\n"
	filler := strings.Repeat(strings.Repeat("#", 1023)+"\n", maxLockFile/1024)
	for _, tt := range []struct {
		name string
		data string
		want int
	}{
		{"entry first", entry + filler, 1},
		{"entry past the limit", filler + entry, 0},
	} {
		fsys := fstest.MapFS{"uv.lock": {Data: []byte(tt.data)}}
		if got := findSDKs(fsys); len(got) != tt.want {
			t.Errorf("%s: got %d SDKs %v, want %d", tt.name, len(got), got, tt.want)
		}
	}
}

func TestFindSDKsSkipsFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := exec.Command("mkfifo", filepath.Join(dir, "package.json")).Run(); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "requirements.txt"), []byte("anthropic==0.40.0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A FIFO opened for reading blocks until a writer comes: reaching the
	// requirements file at all proves it was not opened.
	got := FindSDKs(dir)
	if len(got) != 1 || got[0].File != "requirements.txt" {
		t.Errorf("got %v, want only requirements.txt", got)
	}
}

func TestPEP508(t *testing.T) {
	tests := []struct {
		in, name, version string
		ok                bool
	}{
		{"anthropic", "anthropic", "", true},
		{"anthropic==0.40.0", "anthropic", "==0.40.0", true},
		{"Anthropic [vertex, bedrock] ( >=0.40 , <1 )", "anthropic", ">=0.40,<1", true},
		{"claude_agent.sdk~=0.1; sys_platform != 'win32'", "claude-agent-sdk", "~=0.1", true},
		{"anthropic @ https://example.com/a.whl ; python_version>'3'", "anthropic", "@ https://example.com/a.whl", true},
		{"anthropic @", "", "", false},
		{"anthropic[vertex", "", "", false},
		{">=1.0", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		name, version, ok := pep508(tt.in)
		if name != tt.name || version != tt.version || ok != tt.ok {
			t.Errorf("pep508(%q) = %q, %q, %v; want %q, %q, %v", tt.in, name, version, ok, tt.name, tt.version, tt.ok)
		}
	}
}

func TestJSONLeaves(t *testing.T) {
	doc := "{\n \"a\": {\"b\": [1, \"x\",\n {\"c\": true, \"d\": \"y\"}]},\n \"e\": null, \"f\": \"z\"\n}"
	var got []string
	jsonLeaves([]byte(doc), func(path []string, v string, line int) {
		got = append(got, strings.Join(path, ".")+"="+v+"@"+strconv.Itoa(line))
	})
	want := []string{"a.b.0=1@2", "a.b.1=x@2", "a.b.2.d=y@3", "f=z@4"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}

	deep := strings.Repeat("[", 10000) + `"deep"` + strings.Repeat("]", 10000)
	jsonLeaves([]byte(deep), func(path []string, v string, line int) {
		t.Errorf("a leaf past the nesting limit was reported at depth %d", len(path))
	})
}

func TestSDKJSON(t *testing.T) {
	b, err := json.Marshal(SDK{Name: "anthropic", Version: "0.40.0", File: "uv.lock", Line: 6, Ecosystem: EcoPyPI})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"name":"anthropic","version":"0.40.0","file":"uv.lock","line":6,"ecosystem":"pypi"}`
	if string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
}

// FuzzSDKParsers feeds every parser the same bytes: none may panic, and
// every SDK reported must name a known package.
func FuzzSDKParsers(f *testing.F) {
	filepath.WalkDir(filepath.Join("testdata", "sdks"), func(path string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if data, err := os.ReadFile(path); err == nil {
				f.Add(data)
			}
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, p := range sdkParsers {
			for _, s := range p.parse("f", data) {
				if s.Name == "" || s.Ecosystem == "" || s.Line < 1 {
					t.Errorf("%s: incomplete SDK %+v", p.pattern, s)
				}
			}
		}
	})
}

// BenchmarkFindSDKs reads a project with a package-lock.json of about
// 10 MB (a large monorepo's) and a package.json.
func BenchmarkFindSDKs(b *testing.B) {
	dir := b.TempDir()
	var lock strings.Builder
	lock.WriteString(`{"name":"app","lockfileVersion":3,"packages":{"":{"name":"app"}`)
	for i := 0; lock.Len() < 10<<20; i++ {
		lock.WriteString(`,"node_modules/pkg-` + strconv.Itoa(i) + `":{"version":"1.0.` + strconv.Itoa(i) +
			`","resolved":"https://registry.npmjs.org/pkg/-/pkg-1.0.0.tgz","integrity":"sha512-AAAA","dependencies":{"a":"^1","b":"^2"}}`)
	}
	lock.WriteString(`,"node_modules/@anthropic-ai/sdk":{"version":"0.30.1"}}}`)
	files := map[string]string{"package-lock.json": lock.String(), "package.json": `{"dependencies":{"@anthropic-ai/sdk":"^0.30.0"}}`}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(lock.Len()))
	for b.Loop() {
		if got := FindSDKs(dir); len(got) != 2 {
			b.Fatalf("got %v", got)
		}
	}
}
