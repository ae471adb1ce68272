package probe

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hygiene issue codes (Issue.Code), in the order Hygiene reports them.
const (
	IssueEmpty       = "empty"
	IssueWhitespace  = "whitespace"
	IssueNewline     = "newline"
	IssueCR          = "cr"
	IssueQuotes      = "quotes"
	IssueSmartQuotes = "smart_quotes"
	IssueInvisible   = "invisible"
	IssueNonASCII    = "non_ascii"
	IssueBearer      = "bearer_prefix"
	IssueHeader      = "header_prefix" // "x-api-key:" or "Authorization:" pasted along
	IssueVarPrefix   = "var_prefix"    // "ANTHROPIC_API_KEY=" or "export NAME=" pasted along
	IssueMasked      = "masked"        // a masked hint ("...", "…", "***") instead of the key
	IssuePlaceholder = "placeholder"   // "your-api-key-here" and the like
	IssueLength      = "length"
	IssueAlphabet    = "alphabet"
	IssueTruncated   = "truncated"
)

var hyIssueOrder = []string{
	IssueEmpty, IssueWhitespace, IssueNewline, IssueCR, IssueQuotes, IssueSmartQuotes,
	IssueInvisible, IssueNonASCII, IssueBearer, IssueHeader, IssueVarPrefix, IssueMasked,
	IssuePlaceholder, IssueLength, IssueAlphabet, IssueTruncated,
}

// hyChar is one character of the value with its original bytes.
type hyChar struct {
	r   rune
	s   string
	pos int // 1-based, in characters of the original value
}

func hySplit(v string) []hyChar {
	cs := make([]hyChar, 0, len(v))
	for i := 0; i < len(v); {
		r, n := utf8.DecodeRuneInString(v[i:])
		cs = append(cs, hyChar{r: r, s: v[i : i+n], pos: len(cs) + 1})
		i += n
	}
	return cs
}

// hySpot is one finding: a code, what was found (a sanitized name), and
// where: at the start, at the end, or inside at a character position.
type hySpot struct {
	code  string
	name  string
	where int // -1 start, 0 inside, +1 end
	pos   int
	text  string // a whole phrase, for findings that are not about one character
}

// Hygiene checks a key value for the problems copy-and-paste brings:
// surrounding whitespace and newlines, quotes, invisible or look-alike
// characters, a "Bearer " or "NAME=" prefix, a masked hint or a
// placeholder instead of the key, and a length or alphabet that does not
// fit the key's kind. It returns the value with the removable problems
// removed (outer whitespace, line breaks, surrounding quotes, prefixes,
// invisible characters; look-alike dashes and full-width characters mapped
// to ASCII) and the issues found. Issue details name characters and
// positions, never the key's own characters. A well-formed key comes back
// unchanged with no issues.
func Hygiene(value string) (clean string, issues []Issue) {
	if what := Reference(value); what != "" {
		// Nothing to clean: the value is a pointer to a key, not a key.
		return value, []Issue{{Code: IssueReference, Detail: "is " + what + ", not the key itself"}}
	}
	if value == "" {
		return "", []Issue{{Code: IssueEmpty, Detail: "is empty"}}
	}
	cs := hySplit(value)
	var spots []hySpot
	lo, hi := 0, len(cs)
	for changed := true; changed && lo < hi; {
		changed = false
		for lo < hi && hyTrimmable(cs[lo].r) {
			spots = append(spots, hySpot{code: hyCharCode(cs[lo].r), name: hyCharName(cs[lo].r), where: -1, pos: cs[lo].pos})
			lo++
		}
		for hi > lo && hyTrimmable(cs[hi-1].r) {
			spots = append(spots, hySpot{code: hyCharCode(cs[hi-1].r), name: hyCharName(cs[hi-1].r), where: 1, pos: cs[hi-1].pos})
			hi--
		}
		if hi-lo >= 2 && cs[hi-2].r == '\\' && (cs[hi-1].r == 'n' || cs[hi-1].r == 'r') {
			code, name := IssueNewline, `escaped newline (\ and n)`
			if cs[hi-1].r == 'r' {
				code, name = IssueCR, `escaped carriage return (\ and r)`
			}
			spots = append(spots, hySpot{code: code, name: name, where: 1, pos: cs[hi-2].pos})
			hi -= 2
			changed = true
			continue
		}
		if n, code, text := hyPrefix(cs[lo:hi]); n > 0 {
			spots = append(spots, hySpot{code: code, text: text, pos: cs[lo].pos})
			lo += n
			changed = true
			continue
		}
		if lo < hi && hyQuoteCode(cs[lo].r) != "" {
			spots = append(spots, hySpot{code: hyQuoteCode(cs[lo].r), name: hyCharName(cs[lo].r), where: -1, pos: cs[lo].pos})
			lo++
			changed = true
		}
		if hi > lo && hyQuoteCode(cs[hi-1].r) != "" {
			spots = append(spots, hySpot{code: hyQuoteCode(cs[hi-1].r), name: hyCharName(cs[hi-1].r), where: 1, pos: cs[hi-1].pos})
			hi--
			changed = true
		}
	}

	core := cs[lo:hi]
	var emDash bool
	for _, c := range core {
		switch r := c.r; {
		case r == '\n' || r == '\r' || hyInvisible(r):
			spots = append(spots, hySpot{code: hyCharCode(r), name: hyCharName(r), pos: c.pos})
		case r == ' ' || r == '\t':
			spots = append(spots, hySpot{code: IssueWhitespace, name: hyCharName(r), pos: c.pos})
		case hyQuoteCode(r) != "":
			spots = append(spots, hySpot{code: hyQuoteCode(r), name: hyCharName(r), pos: c.pos})
		case r == '…':
			// reported as a masked hint below
		case r >= utf8.RuneSelf:
			emDash = emDash || r == '—'
			spots = append(spots, hySpot{code: IssueNonASCII, name: hyCharName(r), pos: c.pos})
		}
	}

	clean, at := hyBuild(core, "-")
	if emDash && !hyWellFormed(clean) {
		// Autocorrect turns "--" into an em dash, so it may stand for one
		// hyphen or two: keep whichever makes a well-formed key, else keep
		// the em dash.
		if c2, at2 := hyBuild(core, "--"); hyWellFormed(c2) {
			clean, at = c2, at2
		} else if !hyWellFormed(clean) {
			clean, at = hyBuild(core, "—")
		}
	}
	spots = append(spots, hyShape(clean, at)...)
	if clean == "" {
		spots = append(spots, hySpot{code: IssueEmpty, text: "is empty once cleaned"})
	}
	return clean, hyRender(spots)
}

// hyBuild joins the core characters into the cleaned value, dropping line
// breaks and invisible characters and mapping look-alikes to ASCII; at
// records the original position of each byte of the result.
func hyBuild(core []hyChar, emDash string) (string, []int) {
	var b strings.Builder
	var at []int
	put := func(s string, pos int) {
		b.WriteString(s)
		for range len(s) {
			at = append(at, pos)
		}
	}
	for _, c := range core {
		switch r := c.r; {
		case r == '\n' || r == '\r' || hyInvisible(r):
		case r == '—':
			put(emDash, c.pos)
		case hyDash(r):
			put("-", c.pos)
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			put(string(r-0xFEE0), c.pos)
		case r == utf8.RuneError:
			// Dropping a neighbour could join two invalid bytes into a new
			// character, so an invalid byte becomes U+FFFD.
			put("\uFFFD", c.pos)
		default:
			put(c.s, c.pos)
		}
	}
	return b.String(), at
}

// hyWellFormed reports whether s has the exact shape of an API or admin key.
func hyWellFormed(s string) bool {
	for _, k := range []struct {
		prefix string
		n      int
	}{{PrefixAPI, APIKeyLen}, {PrefixAdmin, AdminKeyLen}} {
		if len(s) == k.n && strings.HasPrefix(s, k.prefix) && strings.HasSuffix(s, "AA") {
			for i := len(k.prefix); i < len(s); i++ {
				if !keyByte(s[i]) {
					return false
				}
			}
			return true
		}
	}
	return false
}

// hyShape checks the cleaned value against what its kind must look like.
func hyShape(clean string, at []int) []hySpot {
	if clean == "" {
		return nil
	}
	if s, ok := hyMasked(clean, at); ok {
		return []hySpot{s}
	}
	if hyWellFormed(clean) {
		return nil
	}
	if hyPlaceholder(clean) {
		return []hySpot{{code: IssuePlaceholder, text: "looks like a placeholder, not a real key"}}
	}
	var prefix, what string
	var want int
	switch {
	case strings.HasPrefix(clean, PrefixAPI):
		prefix, want, what = PrefixAPI, APIKeyLen, "API keys"
	case strings.HasPrefix(clean, PrefixAdmin):
		prefix, want, what = PrefixAdmin, AdminKeyLen, "admin keys"
	case strings.HasPrefix(clean, PrefixOAuthAccess), strings.HasPrefix(clean, PrefixOAuthRefresh):
		// The OAuth token's length is not published: check the alphabet only.
		prefix = PrefixOAuthAccess
	default:
		return nil
	}
	var out []hySpot
	for i := len(prefix); i < len(clean); i++ {
		b := clean[i]
		if b < utf8.RuneSelf && !keyByte(b) && b != ' ' && b != '\t' && hyQuoteCode(rune(b)) == "" {
			out = append(out, hySpot{code: IssueAlphabet, name: hyASCIIName(b), pos: at[i]})
		}
	}
	if want == 0 {
		return out
	}
	n := utf8.RuneCountInString(clean)
	size := fmt.Sprintf("is %d characters; %s are %d", n, what, want)
	switch {
	case n < want:
		out = append(out, hySpot{code: IssueTruncated, text: size})
	case n > want:
		if strings.Count(clean, "sk-ant-") > 1 {
			size += "; it holds more than one key"
		}
		out = append(out, hySpot{code: IssueLength, text: size})
	case !strings.HasSuffix(clean, "AA"):
		out = append(out, hySpot{code: IssueTruncated, text: fmt.Sprintf("does not end in AA as %s do", what)})
	}
	return out
}

// hyMasked finds the signs of a masked hint: "...", "…" or "***".
func hyMasked(clean string, at []int) (hySpot, bool) {
	for _, m := range []string{"...", "…", "***"} {
		if i := strings.Index(clean, m); i >= 0 {
			what := map[string]string{"...": "three dots", "…": "an ellipsis (U+2026)", "***": "asterisks"}[m]
			return hySpot{code: IssueMasked, text: fmt.Sprintf("has %s at character %d: a masked hint, not the key itself", what, at[i])}, true
		}
	}
	return hySpot{}, false
}

var hyPlaceholderWords = []string{
	"your", "xxxx", "change", "replace", "example", "placeholder", "insert", "todo",
	"dummy", "here", "<", ">", "{{", "fake", "redacted", "paste", "sk-ant-api03-...",
}

// hyPlaceholder reports whether s reads like a stand-in for a key. Only
// called for values that are not well-formed keys, so a random key that
// happens to contain "here" is never taken for one.
func hyPlaceholder(s string) bool {
	l := strings.ToLower(s)
	for _, w := range hyPlaceholderWords {
		if len(s) >= 64 {
			break // placeholders are short; a long value is a damaged key
		}
		if strings.Contains(l, w) {
			return true
		}
	}
	rest := s
	if p := keyAntPrefix(s); p != "" {
		rest = s[len(p):]
	} else if strings.HasPrefix(s, "sk-ant-") {
		rest = s[len("sk-ant-"):]
	}
	if rest == "" {
		return true
	}
	return strings.Trim(rest, rest[:1]) == ""
}

// hyPrefix recognises a header name, "Bearer " or a shell assignment at the
// start of cs and returns how many characters it spans.
func hyPrefix(cs []hyChar) (n int, code, text string) {
	var b strings.Builder
	for i := 0; i < len(cs) && i < 64; i++ {
		if cs[i].r >= utf8.RuneSelf {
			break
		}
		b.WriteRune(cs[i].r)
	}
	s := b.String()
	l := strings.ToLower(s)
	skipSpace := func(i int) int {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		return i
	}
	if strings.HasPrefix(l, "authorization:") {
		i := skipSpace(len("authorization:"))
		if strings.HasPrefix(l[i:], "bearer") && i+6 < len(s) && (s[i+6] == ' ' || s[i+6] == '\t') {
			return skipSpace(i + 6), IssueBearer, `starts with a header name and "Bearer "; only the key belongs here`
		}
		return i, IssueHeader, "starts with a header name"
	}
	if strings.HasPrefix(l, "bearer") && len(s) > 6 && (s[6] == ' ' || s[6] == '\t') {
		return skipSpace(6), IssueBearer, `starts with "Bearer "; clients add that word themselves`
	}
	if strings.HasPrefix(l, "x-api-key:") {
		return skipSpace(len("x-api-key:")), IssueHeader, `starts with a header name ("x-api-key:")`
	}
	i := 0
	if strings.HasPrefix(s, "export ") || strings.HasPrefix(s, "export\t") {
		i = skipSpace(len("export"))
	}
	j := i
	for j < len(s) && (s[j] >= 'A' && s[j] <= 'Z' || s[j] == '_' || j > i && keyDigit(s[j])) {
		j++
	}
	if j-i >= 2 {
		k := skipSpace(j)
		if k < len(s) && s[k] == '=' && k+1 < len(cs) {
			return skipSpace(k + 1), IssueVarPrefix, "starts with a variable name and '='; only the value belongs in the key"
		}
	}
	return 0, "", ""
}

// hyTrimmable characters are removed from either end of a value.
func hyTrimmable(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || hyInvisible(r)
}

// hyInvisible reports characters that do not show, or show as plain space:
// zero-width and format characters, non-ASCII spaces, control characters.
func hyInvisible(r rune) bool {
	switch {
	case r == '\n' || r == '\r' || r == ' ' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
		return true
	case r == 0xa0 || r == 0xad || r == 0x180e || r == 0xfeff || r == 0x2028 || r == 0x2029:
		return true
	}
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zs, r)
}

func hyCharCode(r rune) string {
	switch {
	case r == '\n':
		return IssueNewline
	case r == '\r':
		return IssueCR
	case r == ' ' || r == '\t' || r == '\v' || r == '\f':
		return IssueWhitespace
	}
	return IssueInvisible
}

func hyQuoteCode(r rune) string {
	switch r {
	case '"', '\'', '`':
		return IssueQuotes
	case '‘', '’', '‚', '‛', '“', '”', '„', '‟', '«', '»', '′', '″', '‹', '›':
		return IssueSmartQuotes
	}
	return ""
}

func hyDash(r rune) bool {
	switch r {
	case '‐', '‑', '‒', '–', '−', '﹘', '﹣', '－':
		return true
	}
	return false
}

var hyRuneNames = map[rune]string{
	'\n': `newline (\n)`, '\r': `carriage return (\r)`, ' ': "space", '\t': `tab (\t)`,
	'\v': "vertical tab", '\f': "form feed",
	'"': "double quote", '\'': "single quote", '`': "backtick",
	'‘': "left single quote", '’': "right single quote", '‚': "low single quote", '‛': "reversed single quote",
	'“': "left double quote", '”': "right double quote", '„': "low double quote", '‟': "reversed double quote",
	'«': "guillemet", '»': "guillemet", '‹': "guillemet", '›': "guillemet", '′': "prime", '″': "double prime",
	0x200b: "zero-width space", 0x200c: "zero-width non-joiner", 0x200d: "zero-width joiner",
	0x2060: "word joiner", 0xfeff: "byte order mark", 0xa0: "no-break space", 0xad: "soft hyphen",
	0x200e: "direction mark", 0x200f: "direction mark", 0x202f: "narrow no-break space",
	0x2028: "line separator", 0x2029: "paragraph separator", 0x3000: "ideographic space",
	'‐': "hyphen", '‑': "hyphen", '‒': "figure dash", '–': "en dash", '—': "em dash", '−': "minus sign",
	'﹘': "small em dash", '﹣': "small hyphen", '－': "full-width hyphen", '·': "middle dot",
}

// hyCharName names a character without showing it: a fixed word and its code
// point.
func hyCharName(r rune) string {
	if r == utf8.RuneError {
		return "invalid UTF-8 byte or replacement character (U+FFFD)"
	}
	name, ok := hyRuneNames[r]
	switch {
	case ok && r < 0x80:
		return name
	case ok:
	case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
		name = "control character"
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		name = "direction control"
	case unicode.Is(unicode.Zs, r):
		name = "wide space"
	case unicode.Is(unicode.Cf, r):
		name = "invisible format character"
	case r >= 0xff01 && r <= 0xff5e:
		name = "full-width character"
	case unicode.Is(unicode.Cyrillic, r):
		name = "Cyrillic letter"
	case unicode.Is(unicode.Greek, r):
		name = "Greek letter"
	case unicode.IsLetter(r):
		name = "non-ASCII letter"
	default:
		name = "non-ASCII character"
	}
	return fmt.Sprintf("%s (U+%04X)", name, r)
}

// hyASCIIName names an ASCII character that does not belong in a key. It is
// shown, quoted: one punctuation mark reveals nothing of the key.
func hyASCIIName(b byte) string {
	if b < 0x20 || b == 0x7f {
		return fmt.Sprintf("control character (U+%04X)", b)
	}
	return fmt.Sprintf("'%c'", b)
}

// hyRender turns spots into one Issue per code, in hyIssueOrder.
func hyRender(spots []hySpot) []Issue {
	if len(spots) == 0 {
		return nil
	}
	by := map[string][]hySpot{}
	for _, s := range spots {
		by[s.code] = append(by[s.code], s)
	}
	var out []Issue
	for _, code := range hyIssueOrder {
		if ss := by[code]; len(ss) > 0 {
			out = append(out, Issue{Code: code, Detail: hyDescribe(code, ss)})
		}
	}
	return out
}

// hyDescribe turns the spots of one code into a sentence fragment.
func hyDescribe(code string, ss []hySpot) string {
	var parts []string
	edge := map[int][]string{} // where -> names in order of appearance
	count := map[[2]string]int{}
	inside := map[string][]int{}
	var insideOrder []string
	sort.SliceStable(ss, func(i, j int) bool { return ss[i].pos < ss[j].pos })
	for _, s := range ss {
		switch {
		case s.text != "":
			parts = append(parts, s.text)
		case s.where != 0:
			k := [2]string{fmt.Sprint(s.where), s.name}
			if count[k] == 0 {
				edge[s.where] = append(edge[s.where], s.name)
			}
			count[k]++
		default:
			if len(inside[s.name]) == 0 {
				insideOrder = append(insideOrder, s.name)
			}
			inside[s.name] = append(inside[s.name], s.pos)
		}
	}
	starts, ends := edge[-1], edge[1]
	if (code == IssueQuotes || code == IssueSmartQuotes) && len(starts) == 1 && len(ends) == 1 && starts[0] == ends[0] {
		parts = append(parts, "is wrapped in "+hyPlural(starts[0]))
		starts, ends = nil, nil
	}
	for _, w := range []struct {
		where int
		verb  string
		names []string
	}{{-1, "starts with ", starts}, {1, "ends with ", ends}} {
		for _, name := range w.names {
			n := count[[2]string{fmt.Sprint(w.where), name}]
			if n == 1 {
				parts = append(parts, w.verb+hyArticle(name)+" "+name)
			} else {
				parts = append(parts, fmt.Sprintf("%s%d %s", w.verb, n, hyPlural(name)))
			}
		}
	}
	for _, name := range insideOrder {
		pos := inside[name]
		words := make([]string, 0, 3)
		for i, p := range pos {
			if i == 3 {
				words = append(words, fmt.Sprintf("and %d more", len(pos)-3))
				break
			}
			words = append(words, fmt.Sprint(p))
		}
		label := "character "
		if len(pos) > 1 {
			label = "characters "
		}
		// "has a …" keeps every detail a sentence after "the key from X".
		what := hyArticle(name) + " " + name
		if len(pos) > 1 {
			what = hyPlural(name)
		}
		parts = append(parts, "has "+what+" at "+label+strings.Join(words, ", "))
	}
	return strings.Join(parts, "; ")
}

func hyArticle(name string) string {
	if strings.ContainsRune("aeiouAEIOU", rune(name[0])) {
		return "an"
	}
	return "a"
}

func hyPlural(name string) string {
	if i := strings.Index(name, " ("); i >= 0 {
		return name[:i] + "s" + name[i:]
	}
	return name + "s"
}
