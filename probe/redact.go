package probe

import (
	"encoding/json"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// MinPiece is the shortest run of a known secret's characters that the
// redactor removes wherever it appears, even without the rest of the key,
// when the run looks like key material (a digit or a change of case: see
// keyLike).
const MinPiece = 8

// Redactor masks secrets in text. It knows two kinds: anything that looks
// like a credential (keys of every provider, bearer tokens, URL user info,
// token query parameters, secret header values), and the exact secrets it
// was given (every key discovered, the passwords of proxy and base URLs),
// including any run of MinPiece or more of their characters, so a
// truncated echo of a key is caught too. Its cost is linear in the text,
// however many secrets it knows.
//
// Every byte fix401 prints or writes passes through String (or Styled, or
// JSON), which first passes it through Sanitize: no output path can mask
// secrets and forget control sequences, or the other way round.
type Redactor struct {
	mu    sync.Mutex
	seen  map[string]bool
	list  []string
	built *known // nil after Add: rebuilt by the next String
}

// NewRedactor returns a Redactor that also knows the given secrets.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	r.Add(secrets...)
	return r
}

// Add teaches the redactor more secrets. Empty and very short values (under
// four characters) are ignored: they cannot be told apart from ordinary
// text. A value with a key inside (a raw file value with quotes, "Bearer ",
// a comment) is taken as that key.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range secrets {
		v = strings.TrimSpace(v)
		if i := strings.Index(v, "sk-ant-"); i >= 0 {
			v = v[i:]
			j := 0
			for j < len(v) && keyByte(v[j]) {
				j++
			}
			if v = v[:j]; len(v)-keyPrefixLen(v) < minSecret {
				continue // a bare prefix: "sk-ant-api03-" is no secret
			}
		}
		if len(v) < minSecret || r.seen[v] {
			continue
		}
		if r.seen == nil {
			r.seen = map[string]bool{}
		}
		r.seen[v] = true
		r.list = append(r.list, v)
		r.built = nil
	}
}

// known returns what the redactor knows, built once after each change.
func (r *Redactor) known() *known {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.built == nil && len(r.list) > 0 {
		r.built = buildKnown(slices.Clone(r.list))
	}
	return r.built
}

// Redact masks everything that looks like a credential. It is String on a
// Redactor that knows no particular secret.
func Redact(s string) string { return (*Redactor)(nil).String(s) }

// String returns s sanitized (see Sanitize) with every secret masked. Keys
// become their Console-style hint, so a user can still tell which key is
// meant.
func (r *Redactor) String(s string) string { return r.redact(Sanitize(s)) }

// Styled is String for text that fix401 styled itself: the colour and
// weight sequences (SGR) of its styles survive, every other escape sequence
// and control goes. What a style wraps must have passed Sanitize before it
// was styled: Styled cannot tell a hostile colour from fix401's own.
func (r *Redactor) Styled(s string) string { return r.redact(sanitize(s, true)) }

// JSON encodes v as fix401 prints JSON: indented by two spaces, every
// string in it sanitized and cleared of the secrets the redactor knows as a
// reader decodes it (a control character escaped as \u001b is one a reader
// prints; a key right after an escape such as \n is whole only decoded),
// then the document masked for everything that looks like a credential
// (a header and its value may be two strings).
func (r *Redactor) JSON(v any) (string, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return "", err
	}
	k := r.known()
	b = mapJSONStrings(b, func(s string) string { return k.mask(Sanitize(s)) })
	return patterns(Sanitize(string(b))), nil
}

// Writer returns a writer that passes every Write to w through String. A
// control sequence split across two writes loses its ESC in the first.
func (r *Redactor) Writer(w io.Writer) io.Writer { return writer{r, w} }

func (r *Redactor) redact(s string) string {
	if s == "" {
		return s
	}
	return patterns(r.known().mask(s))
}

// patterns masks everything that looks like a credential.
func patterns(s string) string {
	s = urlUserinfo.ReplaceAllString(s, "${1}redacted@")
	s = queryToken.ReplaceAllString(s, "${1}redacted")
	s = headerValue.ReplaceAllStringFunc(s, maskHeader)
	s = bearer.ReplaceAllStringFunc(s, maskBearer)
	s = anthropicKey.ReplaceAllStringFunc(s, maskAnthropic)
	s = otherKey.ReplaceAllStringFunc(s, maskOther)
	return s
}

// Strings redacts each element of ss in place and returns it.
func (r *Redactor) Strings(ss []string) []string {
	for i := range ss {
		ss[i] = r.String(ss[i])
	}
	return ss
}

var (
	// A hint (prefix, 3 characters, "...", 4 characters) is matched first so
	// that it is kept as it is; anything else with the prefix is a key.
	anthropicKey = regexp.MustCompile(`sk-ant-[a-z]+[0-9]*-(?:[A-Za-z0-9_-]{3}\.\.\.[A-Za-z0-9_-]{4}|[A-Za-z0-9_-]*)`)
	otherKey     = regexp.MustCompile(`\b(?:sk-(?:proj-|or-v1-|svcacct-)?[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{30,}|gsk_[A-Za-z0-9]{20,}|xai-[A-Za-z0-9]{20,}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})`)
	// Value classes stop at a backslash, so redacting JSON text never eats
	// the escape of a quote and the document stays valid.
	bearer      = regexp.MustCompile(`(?i)(\bbearer\s+)([^\s"',;}\]\\\x1b]{4,})`)
	urlUserinfo = regexp.MustCompile(`(?i)(\b[a-z][a-z0-9+.-]*://)[^\s@"'\\]+@`)
	queryToken  = regexp.MustCompile(`(?i)([?&](?:key|api[_-]?key|token|access_token|auth|secret|password|sig|signature)=)[^&\s"'#\\]+`)
	// A header's value is one word, or an auth scheme and one word. The
	// separator stays on its line, and takes a backslash only as the escape
	// of a quote: the \ of "\u003c" in JSON is not a quote's.
	headerValue = regexp.MustCompile(`(?i)\b(x-api-key|authorization|proxy-authorization|api-key|x-goog-api-key|cookie|set-cookie)((?:\\?")?[ \t]*[:=][ \t]*(?:\\?")?)((?:(?:bearer|basic|token|digest)[ \t]+)?[^\s"',}\]\\\x1b]+)`)
)

// secretBody is the part of v that is secret: what follows a key's public
// prefix (sk-ant-api03-), wherever the key starts inside v (a raw file
// value may carry quotes or "Bearer " before it).
func secretBody(v string) string {
	if i := strings.Index(v, "sk-ant-"); i >= 0 {
		v = v[i:]
	}
	return v[keyPrefixLen(v):]
}

func keyPrefixLen(v string) int {
	if !strings.HasPrefix(v, "sk-ant-") {
		return 0
	}
	rest := v[len("sk-ant-"):]
	if i := strings.IndexByte(rest, '-'); i > 0 && i <= 8 {
		return len("sk-ant-") + i + 1
	}
	return 0
}

func maskAnthropic(m string) string {
	p := keyPrefixLen(m)
	body := m[p:]
	switch {
	case strings.Contains(body, "..."):
		return m // already a hint
	case len(body) <= 4:
		return m // a bare prefix, as in "keys start with sk-ant-api03-"
	case len(body) < 20:
		return m[:p] + "[redacted]"
	}
	return Hint(m)
}

func maskBearer(m string) string {
	sub := bearer.FindStringSubmatch(m)
	tok := sub[2]
	if strings.HasPrefix(tok, "[redacted") || strings.Contains(tok, "...") || strings.HasPrefix(tok, "$") || (len(tok) < 16 && !strings.ContainsAny(tok, "0123456789")) {
		return m // "Invalid bearer token" is a message, not a credential
	}
	return sub[1] + "[redacted]"
}

func maskOther(m string) string {
	if len(m) < 24 {
		return "[redacted]"
	}
	return Hint(m)
}

func maskHeader(m string) string {
	sub := headerValue.FindStringSubmatch(m)
	v := sub[3]
	if f := strings.Fields(v); len(f) == 2 {
		v = f[1]
	}
	// A hint, a marker, a variable ($ANTHROPIC_API_KEY, {{key}}), a
	// placeholder (<key>) or a word of a sentence is not a secret.
	if strings.Contains(v, "...") || strings.HasPrefix(v, "[redacted") || strings.HasPrefix(v, "$") ||
		strings.HasPrefix(v, "{") || strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">") || isWord(v) {
		return m
	}
	return sub[1] + sub[2] + "[redacted]"
}

// isWord reports whether v is a short word of prose, maybe with the
// punctuation that ends it: "Bearer.", "header", "and". No key is made of
// a dozen letters.
func isWord(v string) bool {
	v = strings.TrimRight(v, ".;:!?)")
	if v == "" || len(v) > 12 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
