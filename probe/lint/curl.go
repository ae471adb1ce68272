package lint

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/fix401/fix401/probe/bounds"
)

var (
	rePrompt       = regexp.MustCompile(`(?m)^(\s*)[$>]\s+(curl\b)`)
	reWinContinue  = regexp.MustCompile("(?m)[ \t][\\^`][ \t]*$")
	reUpperVarName = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
)

// shell lints a shell script or a pasted curl command: every curl call in
// it, and assignments of the variables SDKs read.
func (l *linter) shell(text string, pasted bool) {
	if pasted {
		text = rePrompt.ReplaceAllString(text, "$1$2")
		if reWinContinue.MatchString(text) {
			text = reWinContinue.ReplaceAllString(text, " \\")
		}
	}
	variant := syntax.LangBash
	if strings.HasSuffix(strings.ToLower(l.name), ".zsh") {
		variant = syntax.LangZsh
	}
	f, err := parseShell(text, variant)
	if err != nil {
		// A script that does not parse as a whole (notes, a command with
		// its output pasted under it): lint its curl commands alone.
		if cmds, ok := curlLines(text); ok && cmds != text {
			if g, err2 := parseShell(cmds, variant); err2 == nil {
				l.walkShell(g)
				return
			}
		}
		spans := curlSpans(strings.Split(text, "\n"))
		lines := strings.Split(text, "\n")
		linted := 0
		for _, c := range spans {
			cmd := strings.Join(lines[c[0]:c[1]], "\n")
			if _, err2 := parseShell(cmd, variant); err2 == nil && *l.parts < maxParts {
				linted++
				l.part(KindCurl, "shell", cmd, offset(c[0]))
			}
		}
		if linted > 0 {
			return
		}
		line := 0
		var pe syntax.ParseError
		if errors.As(err, &pe) {
			line = int(pe.Pos.Line())
		}
		msg := "This does not parse as a shell command, so only keys and models were checked."
		if strings.Contains(err.Error(), "quote") {
			msg = "A quote is never closed, so the shell would not run this; only keys and models were checked."
		}
		l.add(IDInputParse, Warn, line, msg, "Check the quotes and the backslashes at line ends.")
		l.textModels(text)
		return
	}
	l.walkShell(f)
}

// parseShell parses text as shell, refusing text nested deeper than the
// parser can take (bounds.MaxShellNesting) before the parser sees it.
func parseShell(text string, variant syntax.LangVariant) (*syntax.File, error) {
	return bounds.ParseShell(syntax.NewParser(syntax.KeepComments(false), syntax.Variant(variant)), text, "")
}

func (l *linter) walkShell(f *syntax.File) {
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Stmt:
			if call, ok := n.Cmd.(*syntax.CallExpr); ok {
				if args, line, ok := curlArgs(call.Args); ok {
					l.curlCall(args, line, n.Redirs)
				}
			}
		case *syntax.CallExpr:
			for _, a := range n.Assigns {
				l.shellAssign(a)
			}
		case *syntax.DeclClause:
			for _, a := range n.Args {
				l.shellAssign(a)
			}
		}
		return true
	})
}

func (l *linter) shellAssign(a *syntax.Assign) {
	if a == nil || a.Name == nil || a.Value == nil {
		return
	}
	l.envAssign(a.Name.Value, evalWord(a.Value), true)
}

// curlLines keeps the curl commands of a text (a README, notes, a script
// with output pasted in) and blanks every other line, so line numbers stay
// right. A command goes on while a line ends with a continuation (\, ^ or
// `) or leaves a quote open.
func curlLines(text string) (string, bool) {
	lines := strings.Split(text, "\n")
	keep := make([]bool, len(lines))
	found := false
	for _, c := range curlSpans(lines) {
		found = true
		for i := c[0]; i < c[1]; i++ {
			keep[i] = true
		}
	}
	for i := range lines {
		if !keep[i] {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n"), found
}

// maxCommandLines bounds one extracted command.
const maxCommandLines = 500

// curlSpans finds the line ranges [start, end) of curl commands.
func curlSpans(lines []string) [][2]int {
	var spans [][2]int
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if !reCurlStart.MatchString(strings.TrimPrefix(strings.TrimPrefix(t, "$ "), "> ")) {
			continue
		}
		var q byte
		j := i
		for ; j < len(lines) && j-i < maxCommandLines; j++ {
			q = quoteState(lines[j], q)
			tt := strings.TrimRight(lines[j], " \t")
			if q == 0 && !strings.HasSuffix(tt, "\\") && !strings.HasSuffix(tt, " ^") && !strings.HasSuffix(tt, "`") {
				break
			}
		}
		end := min(j+1, len(lines))
		spans = append(spans, [2]int{i, end})
		i = end - 1
	}
	return spans
}

// quoteState carries the shell's open quote (0, ' or ") across a line.
func quoteState(line string, q byte) byte {
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case q == '\'':
			if c == '\'' {
				q = 0
			}
		case c == '\\' && i+1 < len(line):
			i++
		case q == '"' && c == '"', q == 0 && (c == '\'' || c == '"'):
			if q == 0 {
				q = c
			} else {
				q = 0
			}
		case q == 0 && c == '#' && (i == 0 || line[i-1] == ' '):
			return q
		}
	}
	return q
}

// curlArgs returns the arguments after curl and the line of the curl word;
// ok is false when the command is not curl (sudo curl, command curl and
// /usr/bin/curl count).
func curlArgs(args []*syntax.Word) (rest []*syntax.Word, line int, ok bool) {
	for len(args) > 0 {
		w := args[0].Lit()
		switch {
		case w == "curl" || w == "curl.exe" || strings.HasSuffix(w, "/curl"):
			return args[1:], int(args[0].Pos().Line()), true
		case w == "sudo" || w == "command" || w == "exec" || w == "time" || w == "noglob":
			args = args[1:]
		default:
			return nil, 0, false
		}
	}
	return nil, 0, false
}

// evalWord builds the string the shell would pass, marking run-time parts.
func evalWord(w *syntax.Word) value {
	v := value{line: int(w.Pos().Line())}
	var b strings.Builder
	for _, p := range w.Parts {
		evalPart(&b, &v, p, false)
	}
	v.text = b.String()
	return v
}

func evalPart(b *strings.Builder, v *value, part syntax.WordPart, dq bool) {
	switch p := part.(type) {
	case *syntax.Lit:
		b.WriteString(unescape(p.Value, dq))
	case *syntax.SglQuoted:
		if p.Dollar {
			b.WriteString(ansiC(p.Value))
			return
		}
		b.WriteString(p.Value)
		for _, m := range reShellVar.FindAllStringSubmatch(p.Value, -1) {
			v.unexpanded = append(v.unexpanded, m[1])
		}
	case *syntax.DblQuoted:
		for _, q := range p.Parts {
			evalPart(b, v, q, true)
		}
	case *syntax.ParamExp:
		name := ""
		if p.Param != nil {
			name = p.Param.Value
		}
		if p.Exp != nil && (p.Exp.Op == syntax.DefaultUnset || p.Exp.Op == syntax.DefaultUnsetOrNull) && p.Exp.Word != nil && len(v.defaults) < 8 {
			v.defaults = append(v.defaults, evalWord(p.Exp.Word).text)
		}
		b.WriteString(mark + name + mark)
	default:
		b.WriteString(mark + mark)
	}
}

// unescape removes the backslashes the shell would remove.
func unescape(s string, dq bool) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		n := s[i+1]
		switch {
		case n == '\n':
		case !dq || strings.IndexByte("$`\"\\", n) >= 0:
			b.WriteByte(n)
		default:
			b.WriteByte(c)
			b.WriteByte(n)
		}
		i++
	}
	return b.String()
}

func ansiC(s string) string {
	return strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\r`, "\r", `\\`, `\`, `\'`, "'", `\"`, `"`, `\e`, "\x1b").Replace(s)
}

// curl options that take a value; the rest of curl's options take none.
var (
	curlShortArg = "AbcCdDeEFHKmoPQrTtuUwxXyYz"
	curlLongArg  = map[string]bool{}
)

func init() {
	for _, o := range strings.Fields(`abstract-unix-socket alt-svc aws-sigv4 cacert capath cert cert-type ciphers config
		connect-timeout connect-to continue-at cookie cookie-jar create-file-mode crlfile curves data data-ascii data-binary
		data-raw data-urlencode delegation dns-interface dns-ipv4-addr dns-ipv6-addr dns-servers doh-url dump-header egd-file
		engine etag-compare etag-save expect100-timeout form form-string ftp-account ftp-alternative-to-user ftp-method
		ftp-port ftp-ssl-ccc-mode happy-eyeballs-timeout-ms haproxy-clientip header hostpubmd5 hostpubsha256 hsts interface
		ip-tos ipfs-gateway json keepalive-cnt keepalive-time key key-type krb libcurl limit-rate local-port login-options
		mail-auth mail-from mail-rcpt max-filesize max-redirs max-time netrc-file noproxy oauth2-bearer output output-dir pass
		pinnedpubkey preproxy proto proto-default proto-redir proxy proxy1.0 pubkey quote random-file range rate referer
		request request-target resolve retry retry-delay retry-max-time sasl-authzid service-name socks4 socks4a socks5
		socks5-gssapi-service socks5-hostname speed-limit speed-time stderr telnet-option tftp-blksize time-cond tls-max
		tls13-ciphers tlsauthtype tlspassword tlsuser trace trace-ascii trace-config unix-socket upload-file url url-query
		user user-agent variable write-out vlan-priority`) {
		curlLongArg[o] = true
	}
}

var curlShortName = map[byte]string{'H': "header", 'd': "data", 'X': "request", 'u': "user", 'F': "form", 'K': "config"}

func curlLongTakesArg(name string) bool {
	if curlLongArg[name] {
		return true
	}
	switch name {
	case "proxy-anyauth", "proxy-basic", "proxy-digest", "proxy-negotiate", "proxy-ntlm", "proxy-insecure",
		"proxy-ssl-allow-beast", "proxy-ssl-auto-client-cert", "proxy-http2", "proxy-tlsv1":
		return false
	}
	return strings.HasPrefix(name, "proxy-")
}

func (l *linter) curlCall(args []*syntax.Word, line int, redirs []*syntax.Redirect) {
	q := &request{kind: KindCurl, line: line}
	var stdin *value
	for _, r := range redirs {
		switch {
		case (r.Op == syntax.Hdoc || r.Op == syntax.DashHdoc) && r.Hdoc != nil:
			v := evalWord(r.Hdoc)
			stdin = &v
		case r.Op == syntax.WordHdoc && r.Word != nil:
			v := evalWord(r.Word)
			stdin = &v
		}
	}
	words := make([]value, len(args))
	for i, a := range args {
		words[i] = evalWord(a)
	}
	endOpts := false
	for i := 0; i < len(words); i++ {
		w := words[i]
		s := w.text
		next := func() (value, bool) {
			if i+1 < len(words) {
				i++
				return words[i], true
			}
			return value{}, false
		}
		switch {
		case endOpts || !strings.HasPrefix(s, "-") || s == "-":
			if isWholeVar(s) && !urlVarName(w.vars()[0]) {
				q.opaque = true // $OPTS may hold headers
				continue
			}
			if !q.hasURL {
				q.url, q.hasURL = w, true
			}
		case s == "--":
			endOpts = true
		case strings.HasPrefix(s, "--"):
			name := strings.TrimPrefix(s[2:], "expand-")
			if !curlLongTakesArg(name) {
				continue
			}
			if v, ok := next(); ok {
				l.curlOpt(q, name, v, stdin)
			}
		default:
			for j := 1; j < len(s); j++ {
				if strings.IndexByte(curlShortArg, s[j]) < 0 {
					continue
				}
				v := value{text: s[j+1:], line: w.line}
				if v.text == "" {
					var ok bool
					if v, ok = next(); !ok {
						break
					}
				} else {
					v.unexpanded = w.unexpanded
				}
				l.curlOpt(q, curlShortName[s[j]], v, stdin)
				break
			}
		}
	}
	if q.hasURL {
		q.url = l.literalVars(q.url)
	}
	l.checkRequest(q)
}

// urlVarName reports whether a variable passed alone to curl looks like it
// holds the URL rather than options.
func urlVarName(name string) bool {
	up := strings.ToUpper(name)
	if strings.Contains(up, "OPT") || strings.Contains(up, "ARG") || strings.Contains(up, "FLAG") || strings.Contains(up, "HEADER") {
		return false
	}
	return strings.Contains(up, "URL") || strings.Contains(up, "HOST") || strings.Contains(up, "ENDPOINT") || strings.Contains(up, "API")
}

// isWholeVar reports whether s is exactly one run-time value.
func isWholeVar(s string) bool {
	return strings.HasPrefix(s, mark) && strings.HasSuffix(s, mark) && strings.Count(s, mark) == 2
}

// literalVars reports $VARs a URL carries as text and turns them into
// run-time parts, so the host is not judged by the variable's name.
func (l *linter) literalVars(v value) value {
	if len(v.unexpanded) == 0 {
		return v
	}
	for _, name := range v.unexpanded {
		l.add(IDAuthEnvUnexpanded, Error, v.line,
			fmt.Sprintf("$%s in the URL is inside single quotes, so curl gets the literal text.", show(name)),
			"Use double quotes around the URL.")
	}
	v.text = reShellVar.ReplaceAllString(v.text, mark+"$1"+mark)
	v.unexpanded = nil
	return v
}

func (l *linter) curlOpt(q *request, name string, v value, stdin *value) {
	switch name {
	case "header":
		if strings.HasPrefix(v.text, "@") || strings.HasPrefix(v.text, mark) {
			q.opaque = true
			return
		}
		if h, ok := splitHeader(v); ok {
			q.headers = append(q.headers, h)
		}
	case "data", "data-ascii", "data-binary", "data-raw", "data-urlencode", "json":
		q.hasBody = true
		q.json = q.json || name == "json"
		if name != "data-raw" && strings.HasPrefix(v.text, "@") {
			if v.text == "@-" && stdin != nil {
				q.data = append(q.data, *stdin)
			}
			return
		}
		for _, n := range v.unexpanded {
			if reUpperVarName.MatchString(n) {
				l.add(IDAuthEnvUnexpanded, Warn, v.line,
					fmt.Sprintf("$%s in the body is inside single quotes, so it is sent as literal text.", show(n)),
					`Close the single quotes around it: '…'"$`+show(n)+`"'…'.`)
			}
		}
		q.data = append(q.data, v)
	case "form", "form-string":
		q.hasBody, q.form = true, true
	case "url":
		if !q.hasURL {
			q.url, q.hasURL = v, true
		}
	case "user":
		q.user = &v
	case "oauth2-bearer":
		q.bearer = &v
	case "config":
		q.opaque = true
	}
}

// splitHeader parses "Name: value" (or "Name;" for an empty header).
func splitHeader(v value) (header, bool) {
	name, rest, ok := strings.Cut(v.text, ":")
	if !ok {
		if n, found := strings.CutSuffix(strings.TrimSpace(v.text), ";"); found && !strings.Contains(n, mark) {
			return header{name: n, val: value{line: v.line}, line: v.line}, true
		}
		return header{}, false
	}
	if strings.Contains(name, mark) {
		return header{}, false
	}
	val := value{text: strings.TrimLeft(rest, " \t"), line: v.line}
	for _, m := range reShellVar.FindAllStringSubmatch(val.literal(), -1) {
		val.unexpanded = append(val.unexpanded, m[1])
	}
	return header{name: strings.TrimSpace(name), val: val, line: v.line}, true
}

// textModels checks "model": "…" pairs in text that could not be parsed.
func (l *linter) textModels(text string) {
	for _, m := range reBodyModel.FindAllStringSubmatchIndex(text, -1) {
		l.related = true
		l.checkModel(text[m[2]:m[3]], 1+strings.Count(text[:m[2]], "\n"), true)
	}
}
