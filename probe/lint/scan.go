package lint

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// strTok is one string literal of a source file.
type strTok struct {
	val    string // decoded; an interpolating string keeps its {…} / ${…} parts
	line   int
	interp bool           // f-string, template literal, or a double-quoted string of a language that interpolates
	parts  *regexp.Regexp // the pattern of an interpolated part; nil: reInterp
	end    int            // offset in the skeleton just past its \x01N\x02 reference
}

// srcFile is a source file split into string literals and a skeleton: the
// code with comments blanked and each string replaced by \x01N\x02, so that
// regular expressions can match code shapes and still find the strings.
type srcFile struct {
	lang       string
	skel       string
	strs       []strTok
	lineStarts []int
	assigns    map[string]assignment
}

const strRef = `\x01(\d+)\x02`

func scan(text, lang string) *srcFile {
	s := &srcFile{lang: lang}
	sp := spec(lang)
	b := make([]byte, 0, len(text)+len(text)/8)
	line := 1
	n := len(text)
	for i := 0; i < n; {
		c := text[i]
		switch {
		case c == '\n':
			b = append(b, '\n')
			line++
			i++
		case sp.slash && c == '/' && i+1 < n && text[i+1] == '/' && (i == 0 || text[i-1] != ':'):
			for i < n && text[i] != '\n' {
				i++
			}
		case sp.slash && c == '/' && i+1 < n && text[i+1] == '*':
			end := strings.Index(text[i+2:], "*/")
			if end < 0 {
				end = n
			} else {
				end += i + 4
			}
			nl := strings.Count(text[i:end], "\n")
			b = append(b, strings.Repeat("\n", nl)...)
			line += nl
			i = end
		case lang == "html" && strings.HasPrefix(text[i:], "<!--"):
			end := strings.Index(text[i:], "-->")
			if end < 0 {
				end = n
			} else {
				end += i + 3
			}
			nl := strings.Count(text[i:end], "\n")
			b = append(b, strings.Repeat("\n", nl)...)
			line += nl
			i = end
		case sp.hash && c == '#' && !(lang == "php" && i+1 < n && text[i+1] == '[') && !(lang == "ruby" && i > 0 && text[i-1] == '$'):
			for i < n && text[i] != '\n' {
				i++
			}
		case isQuote(sp, c) && !(lang == "rust" && c == '\''):
			tok, end, prefix := readString(text, i, lang, sp)
			tok.line = line
			nl := strings.Count(text[i:end], "\n")
			b = b[:len(b)-prefix] // f, r, b, @, $: part of the literal, not code
			b = append(b, "\x01"+strconv.Itoa(len(s.strs))+"\x02"...)
			tok.end = len(b)
			b = append(b, strings.Repeat("\n", nl)...)
			line += nl
			s.strs = append(s.strs, tok)
			i = end
		default:
			b = append(b, c)
			i++
		}
	}
	s.skel = string(b)
	s.lineStarts = []int{0}
	for i := 0; i < len(s.skel); i++ {
		if s.skel[i] == '\n' {
			s.lineStarts = append(s.lineStarts, i+1)
		}
	}
	return s
}

func isQuote(sp langSpec, c byte) bool {
	if c == '`' {
		return sp.backtick != ""
	}
	return strings.IndexByte(sp.quotes, c) >= 0
}

// readString reads the literal starting at text[i] and returns it with the
// index just past it. Single-line literals end at a newline, so a stray
// apostrophe in prose costs one line at most.
func readString(text string, i int, lang string, sp langSpec) (tok strTok, end, prefix int) {
	q := text[i]
	raw := false
	prefixed := func(chars string, maxLen int) string {
		p := i
		for p > 0 && p > i-maxLen && strings.IndexByte(chars, text[p-1]) >= 0 {
			p--
		}
		if p > 0 && isIdent(text[p-1]) {
			return ""
		}
		prefix = i - p
		return text[p:i]
	}
	switch lang {
	case "python":
		pre := strings.ToLower(prefixed("rRbBfFuU", 2))
		tok.interp = strings.Contains(pre, "f")
		raw = strings.Contains(pre, "r")
	case "csharp":
		pre := prefixed("@$", 3)
		raw = strings.Contains(pre, "@")
		if strings.Contains(pre, "$") {
			tok.interp, tok.parts = true, reInterpBrace
		}
	case "rust":
		raw = strings.Contains(prefixed("rb", 2), "r")
	}
	if q == '"' && sp.dqInterp != nil {
		tok.interp, tok.parts = true, sp.dqInterp
	}
	if sp.triple && strings.HasPrefix(text[i:], strings.Repeat(string(q), 3)) {
		end := i + 3
		for end < len(text) && !strings.HasPrefix(text[end:], strings.Repeat(string(q), 3)) {
			if text[end] == '\\' && !raw {
				end++
			}
			end++
		}
		body := text[i+3 : min(end, len(text))]
		if !raw {
			body = decodeEscapes(body)
		}
		tok.val = body
		return tok, min(end+3, len(text)), prefix
	}
	multi := q == '`'
	switch {
	case q == '`' && sp.backtick == "raw", q == '`' && sp.backtick == "quote":
		raw = true
	case q == '`' && sp.backtick == "template":
		tok.interp = true
	case q == '\'' && (lang == "php" || lang == "ruby" || lang == "powershell"):
		raw = true // only \' and \\ are escapes there; close enough
	}
	var b strings.Builder
	j := i + 1
	depth := 0
	for ; j < len(text); j++ {
		c := text[j]
		if c == '\n' && !multi {
			break
		}
		if tok.interp && q == '`' {
			if depth == 0 && c == '$' && j+1 < len(text) && text[j+1] == '{' {
				depth = 1
				b.WriteString("${")
				j++
				continue
			}
			if depth > 0 {
				switch c {
				case '{':
					depth++
				case '}':
					depth--
				}
				b.WriteByte(c)
				continue
			}
		}
		if c == '\\' && raw && j+1 < len(text) && text[j+1] == q && lang != "csharp" && lang != "r" && lang != "go" {
			j++
			b.WriteByte(q)
			continue
		}
		if c == '\\' && !raw && j+1 < len(text) {
			j++
			b.WriteString(decodeEscapes(text[j-1 : j+1]))
			continue
		}
		if c == q {
			if raw && lang == "csharp" && j+1 < len(text) && text[j+1] == q {
				j++
				b.WriteByte(q) // "" inside @"…"
				continue
			}
			j++
			break
		}
		b.WriteByte(c)
	}
	tok.val = b.String()
	if tok.parts != nil && !tok.parts.MatchString(tok.val) {
		tok.interp = false // "x-api-key" in Kotlin or PHP interpolates nothing
	}
	return tok, min(j, len(text)), prefix
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

var escapes = strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\r`, "\r", `\\`, `\`, `\"`, `"`, `\'`, `'`, "\\`", "`", "\\\n", "", `\0`, "\x00")

func decodeEscapes(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return escapes.Replace(s)
}

func (s *srcFile) lineAt(off int) int {
	return sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > off })
}

// tok returns the string literal a \x01N\x02 reference names.
func (s *srcFile) tok(ref string) *strTok {
	n, err := strconv.Atoi(ref)
	if err != nil || n < 0 || n >= len(s.strs) {
		return nil
	}
	return &s.strs[n]
}

// expr is the code of one expression, from the skeleton.
type expr struct {
	code string
	line int
}

// exprAt reads the expression starting at off, up to a comma, semicolon,
// closing bracket or line end at its own nesting level.
func (s *srcFile) exprAt(off int) expr {
	i := off
	for i < len(s.skel) && (s.skel[i] == ' ' || s.skel[i] == '\t') {
		i++
	}
	start := i
	depth := 0
loop:
	for ; i < len(s.skel) && i-start < 400; i++ {
		switch s.skel[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth == 0 {
				break loop
			}
			depth--
		case ',', ';', '\n':
			if depth == 0 {
				break loop
			}
		}
	}
	return expr{code: s.skel[start:i], line: s.lineAt(start)}
}

var (
	reSingle = regexp.MustCompile(`^\s*` + strRef + `\s*$`)
	reFirst  = regexp.MustCompile(`^\s*` + strRef)
	reRefs   = regexp.MustCompile(strRef)
	reEnvRef = regexp.MustCompile(`(?:environ\s*\[|getenv\s*\(|environ\.get\s*\(|Getenv\s*\(|LookupEnv\s*\(|env\.get\s*\(|\benv\s*\[|config\s*\()\s*` + strRef)
	reEnvDot = regexp.MustCompile(`(?:process\.env|import\.meta\.env|Deno\.env)\.([A-Za-z_]\w*)`)
	reEnvIn  = regexp.MustCompile(`(?:environ\s*\[\s*|getenv\(\s*|environ\.get\(\s*|Getenv\(\s*|env\.get\(\s*)['"]([A-Za-z_]\w*)['"]|(?:process\.env|import\.meta\.env)\.([A-Za-z_]\w*)`)
	reIdent  = regexp.MustCompile(`[A-Za-z_]\w*`)
	reInterp = regexp.MustCompile(`\$\{[^{}]*\}|\{[^{}]*\}`)
)

func (s *srcFile) single(e expr) *strTok {
	if m := reSingle.FindStringSubmatch(e.code); m != nil {
		return s.tok(m[1])
	}
	return nil
}

func (s *srcFile) first(e expr) *strTok {
	if m := reFirst.FindStringSubmatch(e.code); m != nil {
		return s.tok(m[1])
	}
	return nil
}

// envNames lists the environment variables an expression reads.
func (s *srcFile) envNames(e expr) []string {
	var out []string
	for _, m := range reEnvRef.FindAllStringSubmatch(e.code, -1) {
		if t := s.tok(m[1]); t != nil {
			out = append(out, t.val)
		}
	}
	for _, m := range reEnvDot.FindAllStringSubmatch(e.code, -1) {
		out = append(out, m[1])
	}
	for _, m := range reRefs.FindAllStringSubmatch(e.code, -1) {
		if t := s.tok(m[1]); t != nil && t.interp {
			for _, mm := range reEnvIn.FindAllStringSubmatch(t.val, -1) {
				out = append(out, mm[1]+mm[2])
			}
		}
	}
	return out
}

// names lists the identifiers and variables an expression uses, including
// those interpolated into its strings.
func (s *srcFile) names(e expr) []string {
	out := s.envNames(e)
	out = append(out, reIdent.FindAllString(reRefs.ReplaceAllString(e.code, " "), -1)...)
	for _, m := range reRefs.FindAllStringSubmatch(e.code, -1) {
		if t := s.tok(m[1]); t != nil && t.interp {
			for _, p := range reInterp.FindAllString(t.val, -1) {
				out = append(out, reIdent.FindAllString(p, -1)...)
			}
		}
	}
	return out
}

// value turns a literal into a value: interpolated parts become run-time
// parts.
func (t *strTok) value(line int) value {
	if !t.interp {
		return value{text: t.val, line: line}
	}
	re := reInterp
	if t.parts != nil {
		re = t.parts
	}
	return value{text: re.ReplaceAllStringFunc(t.val, func(p string) string {
		p = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(p, "#"), "\\("), "$"), "{"), "}")
		p = strings.TrimSuffix(p, ")")
		return mark + strings.ReplaceAll(p, mark, "") + mark
	}), line: line}
}
