package lint

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// reShownKey matches more of an Anthropic key than its hint shows.
var reShownKey = regexp.MustCompile(`sk-ant-[a-z]+\d\d-[A-Za-z0-9_-]{4,}`)

// FuzzLintCurl feeds arbitrary curl command lines through the shell parser
// and the request checks: no panic, well-formed findings, no key echoed.
func FuzzLintCurl(f *testing.F) {
	key := fakeKeys()["@@APIKEY@@"]
	for _, seed := range []string{
		`curl https://api.anthropic.com/v1/messages -H "x-api-key: $ANTHROPIC_API_KEY" -H "anthropic-version: 2023-06-01" --json '{"model": "claude-opus-5-5"}'`,
		`curl -sSH 'x-api-key: $K' api.anthropic.com/v1/models`,
		"curl https://api.anthropic.com/v1/models \\\n -H \"Authorization: Bearer " + key + "\"",
		`curl -u ":$K" http://api.anthropic.com/v1/message -d @- <<EOF` + "\n{\"model\": \"claude-2.1\"}\nEOF",
		`curl "$ANTHROPIC_BASE_URL/v1/v1/messages" -H $'x-api-key: abc\n' --oauth2-bearer "$(cat tok)"`,
		`$ curl --expand-header "x-api-key: {{K}}" -F a=b 'https://console.anthropic.com/v1/messages' ^`,
		`curl -H 'x-api-key: "` + key + `"' -H "anthropic-version: 2023-01-01"`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, name := range []string{"cmd.curl", "-"} {
			r := lintAt(name, []byte(s), testNow)
			lines := strings.Count(s, "\n") + 2
			for _, fd := range r.Findings {
				if !slices.Contains(IDs, fd.ID) || fd.Line < 0 || fd.Line > lines || fd.Message == "" || fd.Fix == "" {
					t.Fatalf("bad finding %+v for %q", fd, s)
				}
				if reShownKey.MatchString(fd.Message + fd.Fix) {
					t.Fatalf("finding echoes a key: %+v", fd)
				}
			}
		}
	})
}
