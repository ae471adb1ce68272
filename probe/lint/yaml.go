package lint

import (
	"fmt"
	"regexp"
	"strings"
)

// yamlLine is one line of a YAML file as lint reads it: a key with its
// scalar, or a list item. A block scalar (| or >) carries its lines.
type yamlLine struct {
	line   int
	indent int
	dash   bool // a list item
	key    string
	val    string // unquoted, comment removed
	quoted bool
	block  []string // lines of a | or > scalar
	parent string   // the key this line is nested under
	top    string   // the top-level key it belongs to
}

// maxYAMLLines bounds what yaml reads; a workflow or compose file is far
// shorter.
const maxYAMLLines = 20000

var reYAMLPair = regexp.MustCompile(`^("[^"]*"|'[^']*'|[^\s#'"{\[][^:#]*?)\s*:(?:\s+(.*))?$`)

// readYAML splits a YAML document into lines of keys and values. It reads
// the block shapes workflows, compose files and configs use; flow
// collections and anchors are taken as plain text.
func readYAML(text string) []yamlLine {
	raw := strings.Split(text, "\n")
	if len(raw) > maxYAMLLines {
		raw = raw[:maxYAMLLines]
	}
	var out []yamlLine
	type frame struct {
		indent int
		key    string
	}
	var stack []frame
	for i := 0; i < len(raw); i++ {
		line := raw[i]
		t := strings.TrimSpace(stripYAMLComment(line))
		if t == "" || t == "---" || t == "..." {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		y := yamlLine{line: i + 1, indent: indent}
		keyIndent := indent
		if rest, ok := strings.CutPrefix(t, "- "); ok || t == "-" {
			y.dash = true
			t = strings.TrimSpace(rest)
			keyIndent = indent + 2
			// a list item may sit at its parent key's indent
			for len(stack) > 0 && stack[len(stack)-1].indent > indent {
				stack = stack[:len(stack)-1]
			}
		} else {
			for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
				stack = stack[:len(stack)-1]
			}
		}
		if len(stack) > 0 {
			y.parent = stack[len(stack)-1].key
			y.top = stack[0].key
		}
		if m := reYAMLPair.FindStringSubmatch(t); m != nil && !strings.Contains(m[1], "://") {
			y.key = strings.Trim(m[1], `"'`)
			y.val = m[2]
		} else {
			y.val = t
		}
		y.val, y.quoted = unquoteYAML(y.val)
		if v := strings.TrimSpace(y.val); !y.quoted && (strings.HasPrefix(v, "|") || strings.HasPrefix(v, ">")) && len(v) <= 3 {
			y.val = ""
			j := i + 1
			for ; j < len(raw); j++ {
				b := raw[j]
				if strings.TrimSpace(b) != "" && len(b)-len(strings.TrimLeft(b, " ")) <= keyIndent {
					break
				}
				y.block = append(y.block, b)
			}
			y.block = dedent(y.block)
			out = append(out, y)
			i = j - 1
			continue
		}
		out = append(out, y)
		if y.key != "" && y.val == "" {
			stack = append(stack, frame{keyIndent, y.key})
		}
	}
	return out
}

// stripYAMLComment removes a # comment that is not inside quotes.
func stripYAMLComment(line string) string {
	var q byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case q != 0 && c == q:
			q = 0
		case q == 0 && (c == '"' || c == '\''):
			if i == 0 || line[i-1] == ' ' || line[i-1] == ':' || line[i-1] == '-' || line[i-1] == '=' {
				q = c
			}
		case q == 0 && c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return line[:i]
		}
	}
	return line
}

func unquoteYAML(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		return v[1 : len(v)-1], true
	}
	return v, false
}

func dedent(lines []string) []string {
	n := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		k := len(l) - len(strings.TrimLeft(l, " "))
		if n < 0 || k < n {
			n = k
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		if len(l) >= n && n > 0 {
			out[i] = l[n:]
		} else {
			out[i] = strings.TrimLeft(l, " ")
		}
	}
	return out
}

var (
	reWorkflowExpr = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)
	reComposeVar   = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)`)
	reModelArg     = regexp.MustCompile(`--model[= ]+["']?([A-Za-z0-9._:/-]+)`)
)

// yaml lints a YAML file: a GitHub workflow (run: steps as shell, env:
// blocks, the action's inputs), a docker compose file (environment: and
// env_file:), or a config with keys and models.
func (l *linter) yaml(text string) {
	ys := readYAML(text)
	workflow, compose := false, false
	for _, y := range ys {
		if y.indent == 0 && y.key == "jobs" {
			workflow = true
		}
		if y.indent == 0 && y.key == "services" {
			compose = true
		}
	}
	var envFiles []string
	type envEntry struct {
		name string
		v    value
		raw  string
	}
	var composeEnv []envEntry
	for _, y := range ys {
		if y.parent == "env_file" && y.dash {
			envFiles = append(envFiles, y.val)
		}
		if y.key == "env_file" && y.val != "" {
			envFiles = append(envFiles, y.val)
		}
	}
	for _, y := range ys {
		switch {
		case y.key == "run" && (y.block != nil || y.val != ""):
			body, start := y.val, y.line-1
			if y.block != nil {
				body, start = strings.Join(y.block, "\n"), y.line
			}
			l.part(KindSource, "shell", reWorkflowExpr.ReplaceAllString(body, "$${$1}"), offset(start))
		case y.parent == "env" && y.key != "" && reUpperVarName.MatchString(y.key):
			l.related = l.related || anthropicVar(y.key)
			l.workflowEnv(y.key, y.val, y.line, workflow)
		case compose && y.parent == "environment":
			name, raw := y.key, y.val
			if y.dash {
				name, raw, _ = strings.Cut(y.val, "=")
			}
			if !reUpperVarName.MatchString(name) {
				continue
			}
			v := composeValue(raw, y.line)
			composeEnv = append(composeEnv, envEntry{name, v, raw})
			l.envAssign(name, v, false)
		case y.parent == "with" || y.parent == "inputs":
			l.actionInput(y)
		case y.key != "" && (y.key == "model" || strings.HasSuffix(strings.ToLower(y.key), "_model")) && y.val != "":
			if m := strings.TrimSpace(y.val); strings.HasPrefix(m, "claude") {
				l.related = true
				l.checkModel(m, y.line, true)
			}
		case y.key != "" && reUpperVarName.MatchString(y.key) && isKeyEnvVar(y.key):
			l.workflowEnv(y.key, y.val, y.line, false)
		}
	}
	if !compose || len(envFiles) == 0 {
		return
	}
	// compose interpolates ${VAR} from the shell and from .env next to the
	// compose file; env_file: is read into the container, after
	// environment: has won. An entry that reads a variable no .env next to
	// the file provides comes out empty, and hides the env_file value.
	other := ""
	for _, f := range envFiles {
		if f = strings.TrimPrefix(strings.TrimSpace(f), "./"); f != ".env" {
			other = f
		}
	}
	if other == "" {
		return
	}
	for _, e := range composeEnv {
		if !isKeyEnvVar(e.name) {
			continue
		}
		m := reComposeVar.FindStringSubmatch(strings.TrimSpace(e.raw))
		if m == nil || m[0] != strings.TrimSpace(e.raw) || m[3] != "" || m[2] == "?" || m[2] == ":?" {
			continue
		}
		l.add(IDAuthMissing, Warn, e.v.line,
			fmt.Sprintf("environment: sets %s from %s, which is empty unless your shell exports it, and it overrides %s from %s.",
				show(e.name), show(strings.TrimSpace(e.raw)), show(e.name), show(other)),
			fmt.Sprintf("Remove the %s line under environment: and let env_file: provide it.", show(e.name)))
	}
}

// composeValue turns a compose value into a value: ${VAR} parts are run
// time parts, and the defaults of ${VAR:-default} are kept.
func composeValue(raw string, line int) value {
	raw = strings.Trim(strings.TrimSpace(raw), `"'`)
	v := value{line: line}
	v.text = reComposeVar.ReplaceAllStringFunc(raw, func(p string) string {
		m := reComposeVar.FindStringSubmatch(p)
		if (m[2] == ":-" || m[2] == "-") && len(v.defaults) < 8 {
			v.defaults = append(v.defaults, m[3])
		}
		return mark + m[1] + m[4] + mark
	})
	return v
}

// workflowEnv checks one variable of a workflow env: block, whose values
// GitHub does not expand: only ${{ … }} expressions are replaced.
func (l *linter) workflowEnv(name, val string, line int, workflow bool) {
	v := value{text: val, line: line}
	for _, m := range reWorkflowExpr.FindAllStringSubmatch(val, -1) {
		expr := m[1]
		ctx, _, _ := strings.Cut(expr, ".")
		switch ctx {
		case "secret", "var": // secrets and vars are plural
			if isKeyEnvVar(name) {
				l.related = true
				l.add(IDAuthEnvUnexpanded, Error, line, fmt.Sprintf("${{ %s }} names no context; the step fails before any request.", show(expr)),
					fmt.Sprintf("Write ${{ secrets.%s }}.", show(strings.TrimPrefix(expr, ctx+"."))))
				return
			}
		}
	}
	if workflow && isKeyEnvVar(name) && !strings.Contains(val, "${{") && reShellVar.MatchString(val) {
		l.related = true
		n := reShellVar.FindStringSubmatch(val)[1]
		l.add(IDAuthEnvUnexpanded, Error, line,
			fmt.Sprintf("env: values are not expanded, so %s holds the literal text \"$%s\".", show(name), show(n)),
			fmt.Sprintf("Write ${{ secrets.%s }} (or ${{ env.%s }}).", show(n), show(n)))
		return
	}
	v.text = reWorkflowExpr.ReplaceAllStringFunc(val, func(p string) string {
		expr := reWorkflowExpr.FindStringSubmatch(p)[1]
		if i := strings.LastIndexByte(expr, '.'); i >= 0 {
			expr = expr[i+1:]
		}
		return mark + expr + mark
	})
	l.envAssign(name, v, false)
}

// actionInput checks an input of an action step (with:): the key inputs of
// claude-code-action and similar actions, and the model they use.
func (l *linter) actionInput(y yamlLine) {
	key := strings.ToLower(y.key)
	switch {
	case key == "anthropic_api_key" || key == "anthropic-api-key" || key == "api_key" && strings.Contains(y.val, "ANTHROPIC"):
		l.workflowEnv("ANTHROPIC_API_KEY", y.val, y.line, true)
	case key == "claude_code_oauth_token":
		l.related = true
	case key == "model" || key == "anthropic_model" || key == "fallback_model":
		if m := strings.TrimSpace(y.val); strings.HasPrefix(m, "claude") {
			l.related = true
			l.checkModel(m, y.line, true)
		}
	case key == "claude_args" || key == "args":
		lines := y.block
		start := y.line
		if lines == nil {
			lines, start = []string{y.val}, y.line-1
		}
		for i, ln := range lines {
			if m := reModelArg.FindStringSubmatch(ln); m != nil && strings.HasPrefix(m[1], "claude") {
				l.related = true
				l.checkModel(m[1], start+i+1, true)
			}
		}
	}
}
