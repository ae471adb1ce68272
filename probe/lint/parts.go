package lint

import (
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"sort"
	"strings"
)

// markdown lints every fenced code block of a Markdown page as the language
// its info string names (or its content shows). Prose is not read, except by
// the key check that covers the whole input.
func (l *linter) markdown(text string) {
	lines := strings.Split(text, "\n")
	prose := make([]string, len(lines))
	copy(prose, lines)
	defer func() { l.pastedCommands(strings.Join(prose, "\n")) }() // commands pasted outside fences
	for i := 0; i < len(lines); i++ {
		fence, info, ok := isFence(lines[i])
		if !ok {
			continue
		}
		indent := len(lines[i]) - len(strings.TrimLeft(lines[i], " \t"))
		j := i + 1
		for ; j < len(lines); j++ {
			if f, inf, ok := isFence(lines[j]); ok && inf == "" && f[0] == fence[0] && len(f) >= len(fence) {
				break
			}
		}
		body := make([]string, 0, j-i-1)
		for _, b := range lines[i+1 : j] {
			n := 0
			for n < indent && n < len(b) && (b[n] == ' ' || b[n] == '\t') {
				n++
			}
			body = append(body, strings.TrimPrefix(b[n:], "> "))
		}
		l.block(info, strings.Join(body, "\n"), offset(i+1))
		for k := i; k <= j && k < len(prose); k++ {
			prose[k] = ""
		}
		i = j
	}
}

// block lints one code block (a fence's content, a notebook cell) whose
// language is named by info, or sniffed from the content when info is empty
// or unknown.
func (l *linter) block(info, text string, lineOf func(int) int) {
	word := strings.ToLower(strings.Trim(strings.Fields(info + " x")[0], "{}."))
	lang, ok := fenceLangs[word]
	if !ok {
		_, lang = sniffLang(text)
	}
	switch lang {
	case "http":
		l.part(KindHTTP, "http", text, lineOf)
	case "shell":
		l.part(KindSource, "shell", consoleCommands(text), lineOf)
	case "json":
		if !isResponse(text) {
			l.part(KindSource, "json", text, lineOf)
		}
	case "text":
		if !isResponse(text) {
			l.part(KindSource, "text", text, lineOf)
		}
	default:
		l.part(KindSource, lang, text, lineOf)
	}
}

var rePromptLine = regexp.MustCompile(`^(\s*)(?:\$|%|>|PS [^>]*>)\s+`)

// consoleCommands turns a terminal transcript ("$ curl …" followed by
// output) into the commands alone, keeping line numbers. Text without
// prompts is returned as it is.
func consoleCommands(text string) string {
	lines := strings.Split(text, "\n")
	prompts := 0
	for _, line := range lines {
		if rePromptLine.MatchString(line) {
			prompts++
		}
	}
	if prompts == 0 {
		return text
	}
	cont := false
	for i, line := range lines {
		switch {
		case rePromptLine.MatchString(line):
			lines[i] = rePromptLine.ReplaceAllString(line, "$1")
		case cont:
		default:
			lines[i] = ""
			continue
		}
		cont = strings.HasSuffix(strings.TrimSpace(lines[i]), "\\") || openQuote(lines[i])
	}
	return strings.Join(lines, "\n")
}

// openQuote reports whether a shell line leaves a quote open.
func openQuote(line string) bool {
	var q byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case q == 0 && c == '\\' && i+1 < len(line):
			i++
		case q == 0 && (c == '\'' || c == '"'):
			q = c
		case q == '"' && c == '\\' && i+1 < len(line):
			i++
		case q != 0 && c == q:
			q = 0
		}
	}
	return q != 0
}

var (
	reRespType = regexp.MustCompile(`"type"\s*:\s*"(?:message|error|message_start|content_block_delta)"`)
	reRespKeys = regexp.MustCompile(`"(?:stop_reason|usage|request_id|role"\s*:\s*"assistant)"`)
)

// isResponse reports whether a JSON text is an API response someone pasted,
// not a request: its model id is what answered, not what was asked for.
func isResponse(text string) bool {
	head := text[:min(len(text), 4096)]
	return reRespType.MatchString(head) && reRespKeys.MatchString(text) ||
		strings.Contains(head, `"type": "error"`) || strings.Contains(head, `"type":"error"`)
}

// batch lints a Windows .bat or .cmd file: its set lines and its curl
// commands (^ continues a line, %VAR% is a variable).
func (l *linter) batch(text string) {
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		t := strings.TrimSpace(line)
		low := strings.ToLower(t)
		if strings.HasPrefix(low, "set ") {
			assign := strings.Trim(strings.TrimSpace(t[4:]), `"`)
			if name, val, ok := strings.Cut(assign, "="); ok && !strings.HasPrefix(name, "/") {
				l.envAssign(strings.TrimSpace(name), value{text: val, line: i + 1}, false)
			}
		}
	}
	l.pastedCommands(rePercentVar.ReplaceAllString(text, "$${$1}"))
}

var rePercentVar = regexp.MustCompile(`%([A-Za-z_][A-Za-z0-9_]*)%`)

// pastedCommands lints the curl commands found in text that is not a
// script (notes, a pasted terminal, a .bat file).
func (l *linter) pastedCommands(text string) {
	if cmds, ok := curlLines(text); ok {
		l.shell(cmds, true)
	}
}

// notebook lints a Jupyter notebook's code cells, joined in order, in the
// kernel's language; lines starting with ! and %%bash cells are shell.
// Outputs are not read: they are answers, not requests.
func (l *linter) notebook(text string) {
	nb, err := readNotebook(text)
	if err != nil {
		l.add(IDInputParse, Warn, 0, "This notebook is not valid JSON, so it was read as plain text.",
			"Check the file is a whole .ipynb; or lint the code copied out of it.")
		l.lang = "text"
		l.source(text)
		return
	}
	lang := nb.lang
	if _, ok := langs[lang]; !ok {
		lang = "python"
	}
	var code strings.Builder
	var lineMap []int
	for _, c := range nb.cells {
		if c.typ != "code" || len(c.lines) == 0 {
			continue
		}
		first := strings.TrimSpace(c.lines[0].text)
		if strings.HasPrefix(first, "%%bash") || strings.HasPrefix(first, "%%sh") || strings.HasPrefix(first, "%%script bash") {
			var sh strings.Builder
			m := make([]int, 0, len(c.lines))
			for _, ln := range c.lines[1:] {
				sh.WriteString(ln.text + "\n")
				m = append(m, ln.line)
			}
			l.part(KindSource, "shell", sh.String(), mapLines(m))
			continue
		}
		for _, ln := range c.lines {
			t := strings.TrimSpace(ln.text)
			switch {
			case strings.HasPrefix(t, "!"):
				l.part(KindSource, "shell", strings.TrimPrefix(t, "!"), mapLines([]int{ln.line}))
				code.WriteString("\n")
			case strings.HasPrefix(t, "%"):
				code.WriteString("\n")
			default:
				code.WriteString(ln.text + "\n")
			}
			lineMap = append(lineMap, ln.line)
		}
	}
	l.part(KindSource, lang, code.String(), mapLines(lineMap))
}

// mapLines maps a part's line i to m[i-1].
func mapLines(m []int) func(int) int {
	return func(i int) int {
		if i-1 < len(m) {
			return m[i-1]
		}
		if len(m) > 0 {
			return m[len(m)-1]
		}
		return 0
	}
}

type nbLine struct {
	text string
	line int // line of the .ipynb file the text is on
}

type nbCell struct {
	typ   string
	lines []nbLine
}

type nbFile struct {
	lang  string
	cells []nbCell
}

// Bounds on what readNotebook reads.
const (
	maxJSONDepth = 64
	maxCells     = 2000
)

var errNotebook = errors.New("not a notebook")

// readNotebook reads the cells of an .ipynb file with the file line of every
// source line, without building the whole JSON tree.
func readNotebook(text string) (nbFile, error) {
	var nb nbFile
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	lineAt := func(off int64) int {
		return sort.Search(len(starts), func(i int) bool { return int64(starts[i]) > off })
	}
	dec := json.NewDecoder(strings.NewReader(text))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nb, errNotebook
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nb, err
		}
		switch key {
		case "cells":
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return nb, errNotebook
			}
			for dec.More() {
				if len(nb.cells) == maxCells {
					return nb, nil
				}
				c, err := readCell(dec, lineAt)
				if err != nil {
					return nb, err
				}
				nb.cells = append(nb.cells, c)
			}
			if _, err := dec.Token(); err != nil {
				return nb, err
			}
		case "metadata":
			var meta struct {
				Kernel struct {
					Language string `json:"language"`
				} `json:"kernelspec"`
				Info struct {
					Name string `json:"name"`
				} `json:"language_info"`
			}
			if err := decodeBounded(dec, &meta); err != nil {
				return nb, err
			}
			nb.lang = strings.ToLower(cmp.Or(meta.Kernel.Language, meta.Info.Name))
		default:
			if err := skipValue(dec, 0); err != nil {
				return nb, err
			}
		}
	}
	return nb, nil
}

func readCell(dec *json.Decoder, lineAt func(int64) int) (nbCell, error) {
	var c nbCell
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return c, errNotebook
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return c, err
		}
		switch key {
		case "cell_type":
			t, err := dec.Token()
			if err != nil {
				return c, err
			}
			c.typ, _ = t.(string)
		case "source":
			t, err := dec.Token()
			if err != nil {
				return c, err
			}
			add := func(s string) {
				line := lineAt(dec.InputOffset())
				for _, part := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
					c.lines = append(c.lines, nbLine{text: part, line: line})
				}
			}
			switch t := t.(type) {
			case string:
				add(t)
			case json.Delim:
				if t != '[' {
					return c, errNotebook
				}
				for dec.More() {
					s, err := dec.Token()
					if err != nil {
						return c, err
					}
					if str, ok := s.(string); ok {
						add(str)
					}
				}
				if _, err := dec.Token(); err != nil {
					return c, err
				}
			}
		default:
			if err := skipValue(dec, 0); err != nil {
				return c, err
			}
		}
	}
	_, err := dec.Token()
	return c, err
}

// skipValue reads one JSON value and drops it, refusing nesting deeper
// than maxJSONDepth.
func skipValue(dec *json.Decoder, depth int) error {
	if depth > maxJSONDepth {
		return errNotebook
	}
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); ok && (d == '{' || d == '[') {
		for dec.More() {
			if d == '{' {
				if _, err := dec.Token(); err != nil {
					return err
				}
			}
			if err := skipValue(dec, depth+1); err != nil {
				return err
			}
		}
		_, err = dec.Token()
	}
	return err
}

// decodeBounded decodes the next value into v after checking its depth
// with a second decoder over the same bytes.
func decodeBounded(dec *json.Decoder, v any) error {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	check := json.NewDecoder(strings.NewReader(string(raw)))
	if err := skipValue(check, 0); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return json.Unmarshal(raw, v)
}
