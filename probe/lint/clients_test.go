package lint

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/fix401/fix401/probe/creds"
)

// severities maps each finding id of r to its worst severity.
func severities(r Report) map[string]Severity {
	out := map[string]Severity{}
	for _, f := range r.Findings {
		if s, ok := out[f.ID]; !ok || f.Severity.rank() < s.rank() {
			out[f.ID] = f.Severity
		}
	}
	return out
}

type sevCase struct {
	name, file, src string
	want            map[string]Severity // the exact findings, by id
}

func runSevCases(t *testing.T, cases []sevCase) {
	t.Helper()
	keys := fakeKeys()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src
			for tok, key := range keys {
				src = strings.ReplaceAll(src, tok, key)
			}
			r := lintAt(tt.file, []byte(src), testNow)
			assertNoKey(t, r)
			got := severities(r)
			want := tt.want
			if want == nil {
				want = map[string]Severity{}
			}
			if !maps.Equal(got, want) {
				t.Fatalf("got %v, want %v\n%+v", got, want, r.Findings)
			}
		})
	}
}

const (
	v2Import = "package main\n\nimport (\n\t\"os\"\n\n\t\"github.com/anthropics/anthropic-sdk-go/v2\"\n\t\"github.com/anthropics/anthropic-sdk-go/v2/option\"\n)\n\n"
	v1Import = "package main\n\nimport (\n\t\"os\"\n\n\t\"github.com/anthropics/anthropic-sdk-go\"\n\t\"github.com/anthropics/anthropic-sdk-go/option\"\n)\n\n"
	curlHead = `curl https://api.anthropic.com/v1/models -H "anthropic-version: 2023-06-01" `
)

// TestBearer: an API key as Authorization: Bearer is accepted by the API
// since 2026: a warning at most, nothing for clients that send it so.
func TestBearer(t *testing.T) {
	runSevCases(t, []sevCase{
		{"curl, key variable", "a.curl", curlHead + `-H "Authorization: Bearer $ANTHROPIC_API_KEY"`, map[string]Severity{IDAuthBearer: Warn}},
		{"curl, unknown token", "a.curl", curlHead + `-H "Authorization: Bearer $TOKEN"`, map[string]Severity{IDAuthBearer: Warn}},
		{"curl --oauth2-bearer", "a.curl", curlHead + `--oauth2-bearer "$ANTHROPIC_API_KEY"`, map[string]Severity{IDAuthBearer: Warn}},
		{"curl, current version", "a.curl", `curl https://api.anthropic.com/v1/models -H "anthropic-version: 2026-10-21" -H "Authorization: Bearer $ANTHROPIC_API_KEY"`, map[string]Severity{IDAuthBearer: Warn}},
		{"http, literal key", "a.http", "GET https://api.anthropic.com/v1/models\nAuthorization: Bearer @@APIKEY@@\nanthropic-version: 2026-10-21\n",
			map[string]Severity{IDAuthBearer: Warn, IDAuthHardcoded: Warn}},
		{"compat endpoint", "a.curl", `curl https://api.anthropic.com/v1/chat/completions -H "Authorization: Bearer $ANTHROPIC_API_KEY" --json '{"model": "claude-opus-5-5"}'`,
			map[string]Severity{IDEndpointWrong: Info}},
		{"oauth with beta", "a.curl", curlHead + `-H "Authorization: Bearer $CLAUDE_CODE_OAUTH_TOKEN" -H "anthropic-beta: oauth-2025-04-20"`, nil},
		{"oauth without beta", "a.curl", curlHead + `-H "Authorization: Bearer $CLAUDE_CODE_OAUTH_TOKEN"`, map[string]Severity{IDAuthOAuthBeta: Error}},
		{"no scheme", "a.curl", curlHead + `-H "Authorization: @@APIKEY@@"`, map[string]Severity{IDAuthHeaderName: Error, IDAuthHardcoded: Warn}},
		{"scheme from a variable", "a.curl", curlHead + `-H "Authorization: $AUTH_HEADER"`, nil},
		{"fetch", "a.js", "await fetch(\"https://api.anthropic.com/v1/messages\", {method: \"POST\", headers: {Authorization: `Bearer ${process.env.ANTHROPIC_API_KEY}`, \"anthropic-version\": \"2026-10-21\", \"content-type\": \"application/json\"}, body: \"{}\"});\n",
			map[string]Severity{IDAuthBearer: Warn}},
		{"python auth_token", "a.py", "import os\nimport anthropic\n\nclient = anthropic.Anthropic(auth_token=os.environ[\"ANTHROPIC_API_KEY\"])\n", map[string]Severity{IDAuthBearer: Warn}},
		{"go v2 auth token", "a.go", v2Import + "var c = anthropic.NewClient(option.WithAuthToken(os.Getenv(\"ANTHROPIC_API_KEY\")))\n", nil},
		{"go v1 auth token", "a.go", v1Import + "var c = anthropic.NewClient(option.WithAuthToken(os.Getenv(\"ANTHROPIC_API_KEY\")))\n", map[string]Severity{IDAuthBearer: Warn}},
		{"env auth token holds a key", ".env", "ANTHROPIC_AUTH_TOKEN=@@APIKEY@@\n", map[string]Severity{IDAuthBearer: Warn}},
		{"env auth token holds a token", ".env", "ANTHROPIC_AUTH_TOKEN=@@OAUTH@@\n", nil},
		{"go v2 sets the token variable to a key", "a.go", v2Import + "func init() { os.Setenv(\"ANTHROPIC_AUTH_TOKEN\", os.Getenv(\"ANTHROPIC_API_KEY\")) }\nvar c = anthropic.NewClient()\n", nil},
	})
}

// TestBearerNamesTheClients: the warning names every SDK line that sends
// keys only as x-api-key while its successor sends Bearer, from the table.
func TestBearerNamesTheClients(t *testing.T) {
	r := lintAt("a.curl", []byte(curlHead+`-H "Authorization: Bearer $ANTHROPIC_API_KEY"`), testNow)
	if len(r.Findings) != 1 {
		t.Fatalf("got %+v", r.Findings)
	}
	msg := r.Findings[0].Message
	var legacy []string
	for _, c := range creds.All() {
		if c.KeyHeader != creds.HeaderAPIKey {
			continue
		}
		for _, d := range creds.All() {
			if d.ID == c.ID && d.KeyHeader == creds.HeaderBearer {
				legacy = append(legacy, c.Name)
			}
		}
	}
	if len(legacy) == 0 {
		t.Fatal("the table has no SDK that moved to Bearer")
	}
	for _, name := range legacy {
		if !strings.Contains(msg, name) {
			t.Errorf("the warning does not name %s: %q", name, msg)
		}
	}
	for _, c := range creds.All() {
		if c.KeyHeader == creds.HeaderBearer && strings.Contains(msg, c.Name) {
			t.Errorf("the warning names %s, which sends Bearer itself: %q", c.Name, msg)
		}
	}
}

// TestVersions: both versions of the client table are valid, anything else
// is flagged, in every form.
func TestVersions(t *testing.T) {
	const key = ` -H "x-api-key: $ANTHROPIC_API_KEY"`
	var cases []sevCase
	for _, v := range []string{creds.VersionLegacy, creds.VersionCurrent} {
		cases = append(cases,
			sevCase{"curl " + v, "a.curl", `curl https://api.anthropic.com/v1/models -H "anthropic-version: ` + v + `"` + key, nil},
			sevCase{"http " + v, "a.http", "GET https://api.anthropic.com/v1/models\nx-api-key: {{key}}\nanthropic-version: " + v + "\n", nil},
			sevCase{"python " + v, "a.py", "import os, requests\nrequests.get(\"https://api.anthropic.com/v1/models\", headers={\"x-api-key\": os.environ[\"ANTHROPIC_API_KEY\"], \"anthropic-version\": \"" + v + "\"})\n", nil},
		)
	}
	cases = append(cases,
		sevCase{"unknown", "a.curl", `curl https://api.anthropic.com/v1/models -H "anthropic-version: 2024-01-01"` + key, map[string]Severity{IDVersionInvalid: Error}},
		sevCase{"unknown in source", "a.py", "import os, requests\nrequests.get(\"https://api.anthropic.com/v1/models\", headers={\"x-api-key\": os.environ[\"ANTHROPIC_API_KEY\"], \"anthropic-version\": \"2026-01-01\"})\n",
			map[string]Severity{IDVersionInvalid: Error}},
		sevCase{"original", "a.curl", `curl https://api.anthropic.com/v1/models -H "anthropic-version: 2023-01-01"` + key, map[string]Severity{IDVersionInvalid: Warn}},
		sevCase{"empty", "a.curl", `curl https://api.anthropic.com/v1/models -H "anthropic-version;"` + key, map[string]Severity{IDVersionInvalid: Error}},
		sevCase{"missing", "a.curl", `curl https://api.anthropic.com/v1/models` + key, map[string]Severity{IDVersionMissing: Error}},
	)
	runSevCases(t, cases)
}

// TestConflict: two credentials at once follow the client table: an error
// for clients that send both, a warning when the client is unknown,
// nothing for clients that drop the token.
func TestConflict(t *testing.T) {
	pyEnv := "import os\nimport anthropic\n\nos.environ[\"ANTHROPIC_API_KEY\"] = os.getenv(\"K\") or \"\"\n"
	runSevCases(t, []sevCase{
		{"curl, both headers", "a.curl", curlHead + `-H "x-api-key: $ANTHROPIC_API_KEY" -H "Authorization: Bearer $ANTHROPIC_API_KEY"`,
			map[string]Severity{IDAuthConflict: Error}},
		{"curl, gateway token", "a.curl", `curl https://llm-gw.example.com/v1/models -H "anthropic-version: 2023-06-01" -H "x-api-key: $ANTHROPIC_API_KEY" -H "Authorization: Bearer $GW_TOKEN"`, nil},
		{"env file, both", ".env", "ANTHROPIC_API_KEY=@@APIKEY@@\nANTHROPIC_AUTH_TOKEN=@@OAUTH@@\n", map[string]Severity{IDAuthConflict: Warn}},
		{"env file, token only", ".env", "ANTHROPIC_AUTH_TOKEN=@@OAUTH@@\n", nil},
		{"env file, empty token", ".env", "ANTHROPIC_API_KEY=@@APIKEY@@\nANTHROPIC_AUTH_TOKEN=\n", nil},
		{"env example", ".env.example", "ANTHROPIC_API_KEY=your-api-key\nANTHROPIC_AUTH_TOKEN=your-token\n", nil},
		{"python, both arguments", "a.py", "import os\nimport anthropic\n\nc = anthropic.Anthropic(api_key=os.environ[\"K\"], auth_token=os.environ[\"T\"])\n",
			map[string]Severity{IDAuthConflict: Error}},
		{"python, both variables", "a.py", "import anthropic\nimport os\nos.environ[\"ANTHROPIC_API_KEY\"] = \"@@APIKEY@@\"\nos.environ[\"ANTHROPIC_AUTH_TOKEN\"] = \"@@OAUTH@@\"\n",
			map[string]Severity{IDAuthConflict: Error, IDAuthHardcoded: Error}},
		{"typescript, both options", "a.ts", "import Anthropic from \"@anthropic-ai/sdk\";\nconst c = new Anthropic({ apiKey: process.env.K, authToken: process.env.T });\n",
			map[string]Severity{IDAuthConflict: Warn}},
		{"go v2, both variables", "a.go", v2Import + "func init() {\n\tos.Setenv(\"ANTHROPIC_API_KEY\", \"@@APIKEY@@\")\n\tos.Setenv(\"ANTHROPIC_AUTH_TOKEN\", \"@@OAUTH@@\")\n}\n",
			map[string]Severity{IDAuthHardcoded: Error}},
		{"go v1, both variables", "a.go", v1Import + "func init() {\n\tos.Setenv(\"ANTHROPIC_API_KEY\", \"@@APIKEY@@\")\n\tos.Setenv(\"ANTHROPIC_AUTH_TOKEN\", \"@@OAUTH@@\")\n}\n",
			map[string]Severity{IDAuthHardcoded: Error}},
		{"python, one variable", "a.py", pyEnv, nil},
	})
}

// TestConflictNamesTheClients: the warning for an unknown client names
// exactly the rows that send both.
func TestConflictNamesTheClients(t *testing.T) {
	r := lintAt(".env", []byte("ANTHROPIC_API_KEY=$A\nANTHROPIC_AUTH_TOKEN=$B\n"), testNow)
	i := slices.IndexFunc(r.Findings, func(f Finding) bool { return f.ID == IDAuthConflict })
	if i < 0 {
		t.Fatalf("no conflict: %+v", r.Findings)
	}
	for _, c := range creds.All() {
		if got := strings.Contains(r.Findings[i].Message, c.Name); got != c.SendsBoth() {
			t.Errorf("%s named: %v, sends both: %v (%q)", c.Name, got, c.SendsBoth(), r.Findings[i].Message)
		}
	}
}
