package lint

import (
	"regexp"
	"strings"
)

// langSpec is what the scanner needs to know about a source language: how
// its comments and string literals look. Languages without a spec are not
// analysed; lint says so in one line.
type langSpec struct {
	label    string // the language in words, for messages
	hash     bool   // # starts a comment
	slash    bool   // // and /* */ are comments
	quotes   string // characters that open a string literal
	triple   bool   // """ opens a multi-line string
	backtick string // how ` behaves: "raw" (Go), "template" (JavaScript), "quote" (R names), "" (not a quote)
	// dqInterp marks double-quoted strings as interpolating, with the
	// pattern of an interpolated part.
	dqInterp *regexp.Regexp
	// family says which rule set applies: python, javascript, go, or
	// generic for the languages lint reads by common shapes only.
	family string
}

var (
	reInterpDollar = regexp.MustCompile(`\$\{[^{}]*\}|\$[A-Za-z_]\w*(?:->\w+)?`) // PHP, Kotlin, Dart, PowerShell
	reInterpHash   = regexp.MustCompile(`#\{[^{}]*\}`)                           // Ruby
	reInterpBrace  = regexp.MustCompile(`\{[^{}]*\}`)                            // C# $"…"
	reInterpSwift  = regexp.MustCompile(`\\\([^()]*\)`)                          // Swift
)

var langs = map[string]langSpec{
	"python":     {label: "Python", hash: true, quotes: `"'`, triple: true, family: "python"},
	"javascript": {label: "JavaScript", slash: true, quotes: `"'`, backtick: "template", family: "javascript"},
	"typescript": {label: "TypeScript", slash: true, quotes: `"'`, backtick: "template", family: "javascript"},
	"html":       {label: "HTML", slash: true, quotes: `"'`, backtick: "template", family: "javascript"},
	"go":         {label: "Go", slash: true, quotes: `"'`, backtick: "raw", family: "go"},
	"json":       {label: "JSON", slash: true, quotes: `"`, family: "json"},
	"text":       {label: "text", quotes: `"`, backtick: "raw", family: "text"},
	"php":        {label: "PHP", hash: true, slash: true, quotes: `"'`, dqInterp: reInterpDollar, family: "generic"},
	"ruby":       {label: "Ruby", hash: true, quotes: `"'`, dqInterp: reInterpHash, family: "generic"},
	"java":       {label: "Java", slash: true, quotes: `"'`, triple: true, family: "generic"},
	"kotlin":     {label: "Kotlin", slash: true, quotes: `"'`, triple: true, dqInterp: reInterpDollar, family: "generic"},
	"scala":      {label: "Scala", slash: true, quotes: `"'`, triple: true, family: "generic"},
	"csharp":     {label: "C#", slash: true, quotes: `"'`, triple: true, family: "generic"},
	"rust":       {label: "Rust", slash: true, quotes: `"`, family: "generic"},
	"swift":      {label: "Swift", slash: true, quotes: `"`, triple: true, dqInterp: reInterpSwift, family: "generic"},
	"dart":       {label: "Dart", slash: true, quotes: `"'`, triple: true, dqInterp: reInterpDollar, family: "generic"},
	"c":          {label: "C/C++", slash: true, quotes: `"'`, family: "generic"},
	"r":          {label: "R", hash: true, quotes: `"'`, backtick: "quote", family: "generic"},
	"powershell": {label: "PowerShell", hash: true, quotes: `"'`, dqInterp: reInterpDollar, family: "generic"},
}

// unsupported names languages lint recognises but does not read.
var unsupported = map[string]string{
	".lua": "Lua", ".ex": "Elixir", ".exs": "Elixir", ".clj": "Clojure", ".hs": "Haskell", ".ml": "OCaml",
	".pl": "Perl", ".pm": "Perl", ".erl": "Erlang", ".jl": "Julia", ".m": "Objective-C", ".zig": "Zig",
	".nim": "Nim", ".cr": "Crystal", ".groovy": "Groovy", ".vb": "Visual Basic", ".fs": "F#",
}

func spec(lang string) langSpec {
	if s, ok := langs[lang]; ok {
		return s
	}
	return langs["text"]
}

// extLangs maps file extensions to source languages.
var extLangs = map[string]string{
	".py": "python", ".pyw": "python", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript",
	".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".go": "go",
	".html": "html", ".htm": "html", ".vue": "html", ".svelte": "html", ".astro": "html",
	".json": "json", ".jsonc": "json", ".php": "php", ".rb": "ruby", ".java": "java", ".kt": "kotlin", ".kts": "kotlin",
	".scala": "scala", ".cs": "csharp", ".rs": "rust", ".swift": "swift", ".dart": "dart",
	".c": "c", ".h": "c", ".cc": "c", ".cpp": "c", ".hpp": "c", ".r": "r", ".ps1": "powershell", ".psm1": "powershell",
}

// fenceLangs maps the info word of a Markdown fence to a language; "" means
// the block's content decides.
var fenceLangs = map[string]string{
	"bash": "shell", "sh": "shell", "shell": "shell", "zsh": "shell", "console": "shell", "terminal": "shell",
	"shell-session": "shell", "shellsession": "shell", "curl": "shell", "cmd": "batch", "bat": "batch", "batch": "batch",
	"python": "python", "py": "python", "python3": "python", "ipython": "python", "pycon": "python",
	"javascript": "javascript", "js": "javascript", "node": "javascript", "jsx": "javascript", "mjs": "javascript",
	"typescript": "typescript", "ts": "typescript", "tsx": "typescript", "go": "go", "golang": "go",
	"http": "http", "rest": "http", "json": "json", "jsonc": "json", "json5": "json",
	"env": "dotenv", "dotenv": "dotenv", ".env": "dotenv", "properties": "dotenv",
	"yaml": "yaml", "yml": "yaml", "php": "php", "ruby": "ruby", "rb": "ruby", "java": "java",
	"kotlin": "kotlin", "kt": "kotlin", "scala": "scala", "csharp": "csharp", "cs": "csharp", "c#": "csharp",
	"rust": "rust", "rs": "rust", "swift": "swift", "dart": "dart", "c": "c", "cpp": "c", "c++": "c",
	"r": "r", "powershell": "powershell", "ps1": "powershell", "pwsh": "powershell",
	"html": "html", "vue": "html", "svelte": "html",
}

// LanguageLabel is an Input.Language in words: "C#" for csharp, "Markdown"
// for markdown; the name itself for a language lint has no word for.
func LanguageLabel(lang string) string {
	switch lang {
	case "markdown":
		return "Markdown"
	case "notebook":
		return "notebook"
	case "yaml":
		return "YAML"
	case "batch":
		return "batch"
	case "dotenv":
		return ".env"
	case "shell":
		return "shell"
	case "http":
		return "HTTP"
	}
	return languageLabel(lang)
}

// languageLabel is a language in words for messages.
func languageLabel(lang string) string {
	if s, ok := langs[lang]; ok {
		return s.label
	}
	for _, label := range unsupported {
		if strings.ToLower(label) == lang {
			return label
		}
	}
	return lang
}

// sniffLang guesses the language of a code block with no info string.
func sniffLang(text string) (Kind, string) {
	k, lang, _ := sniff(text)
	return k, lang
}

// isFence reports whether line opens or closes a fenced code block, and
// returns the fence and its info string.
func isFence(line string) (fence, info string, ok bool) {
	t := strings.TrimLeft(line, " \t>")
	for _, c := range []string{"```", "~~~"} {
		if strings.HasPrefix(t, c) {
			n := len(t) - len(strings.TrimLeft(t, c[:1]))
			info = strings.TrimSpace(t[n:])
			if c == "```" && strings.Contains(info, "`") {
				return "", "", false // inline code, not a fence
			}
			return t[:n], info, true
		}
	}
	return "", "", false
}
