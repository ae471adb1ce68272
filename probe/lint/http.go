package lint

import (
	"regexp"
	"strings"
)

var reTemplateVar = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// httpFile lints a raw HTTP request, or a .http file of requests separated
// by ### lines (the VS Code REST Client and JetBrains format).
func (l *linter) httpFile(text string) {
	lines := strings.Split(text, "\n")
	start := 0
	for i := 0; i <= len(lines); i++ {
		if i == len(lines) || strings.HasPrefix(strings.TrimSpace(lines[i]), "###") {
			l.httpBlock(lines[start:i], start)
			start = i + 1
		}
	}
}

// httpValue marks {{variables}} as run-time parts; a $VAR stays literal text.
func httpValue(s string, line int) value {
	v := value{line: line, text: reTemplateVar.ReplaceAllString(s, mark+"$1"+mark)}
	for _, m := range reShellVar.FindAllStringSubmatch(v.literal(), -1) {
		v.unexpanded = append(v.unexpanded, m[1])
	}
	return v
}

func isMethod(s string) bool {
	switch s {
	case "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS":
		return true
	}
	return false
}

func (l *linter) httpBlock(lines []string, offset int) {
	i := 0
	for ; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") || strings.HasPrefix(t, "@") {
			continue
		}
		break
	}
	if i == len(lines) {
		return
	}
	f := strings.Fields(lines[i])
	var target string
	switch {
	case len(f) == 1 && strings.Contains(f[0], "://"):
		target = f[0]
	case len(f) >= 2 && isMethod(f[0]):
		target = f[1]
	default:
		return
	}
	q := &request{kind: KindHTTP, line: offset + i + 1}
	targetLine := q.line
	host := ""
	for i++; i < len(lines); i++ {
		raw := lines[i]
		t := strings.TrimSpace(raw)
		if t == "" {
			i++
			break
		}
		if strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") {
			continue
		}
		if strings.HasPrefix(t, "?") || strings.HasPrefix(t, "&") {
			continue // a query string continued on its own line
		}
		name, val, ok := strings.Cut(raw, ":")
		if !ok {
			continue
		}
		h := header{name: strings.TrimSpace(name), val: httpValue(strings.TrimLeft(val, " \t"), offset+i+1), line: offset + i + 1}
		if strings.EqualFold(h.name, "host") {
			host = strings.TrimSpace(val)
		}
		q.headers = append(q.headers, h)
	}
	var body []string
	bodyLine := 0
	for ; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if strings.HasPrefix(t, "> ") || strings.HasPrefix(t, "<> ") {
			continue // response handler or saved response reference
		}
		if bodyLine == 0 && t == "" {
			continue
		}
		if bodyLine == 0 {
			bodyLine = offset + i + 1
		}
		body = append(body, lines[i])
	}
	if b := strings.TrimSpace(strings.Join(body, "\n")); b != "" {
		q.hasBody = true
		q.data = append(q.data, httpValue(strings.Join(body, "\n"), bodyLine))
	}
	if strings.HasPrefix(target, "/") {
		q.assumeHTTPS = true
		if host != "" {
			target = "https://" + host + target
		}
	}
	q.url, q.hasURL = httpValue(target, targetLine), true
	if len(q.url.unexpanded) > 0 {
		q.url = l.literalVars(q.url)
	}
	l.checkRequest(q)
}
