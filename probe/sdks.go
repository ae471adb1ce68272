package probe

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// SDK is one Anthropic SDK (or a library that calls the API for you) named
// by a project file. A manifest gives the version as declared ("^0.30.0",
// ">=0.40"); a lock file gives the version installed ("0.30.1"). The same
// SDK may appear once per file.
type SDK struct {
	Name      string `json:"name"`      // as its ecosystem spells it: anthropic-sdk-go, @anthropic-ai/sdk, anthropic
	Version   string `json:"version"`   // as written in File; empty when the manifest pins nothing
	File      string `json:"file"`      // file name inside the project directory
	Line      int    `json:"line"`      // 1-based
	Ecosystem string `json:"ecosystem"` // go, npm, pypi, maven, rubygems, packagist
}

// String is the SDK in a few words: "anthropic ==0.40.0 (requirements.txt:3)".
func (s SDK) String() string {
	v := s.Version
	if v == "" {
		v = "(any version)"
	}
	where := s.File
	if s.Line > 0 {
		where += ":" + strconv.Itoa(s.Line)
	}
	return s.Name + " " + v + " (" + where + ")"
}

// Ecosystems of SDK.
const (
	EcoGo        = "go"
	EcoNPM       = "npm"
	EcoPyPI      = "pypi"
	EcoMaven     = "maven"
	EcoRubyGems  = "rubygems"
	EcoPackagist = "packagist"
)

// Size limits: a manifest is small; a lock file of a large monorepo is not.
// Past the limit only the beginning of a file is read.
const (
	maxManifest = 1 << 20
	maxLockFile = 16 << 20
	maxJSONNest = 64
)

// goSDKModule is the Go SDK's module path, before any /vN suffix.
const goSDKModule = "github.com/anthropics/anthropic-sdk-go"

var (
	npmSDKs = []string{"@anthropic-ai/sdk", "@anthropic-ai/claude-agent-sdk", "@anthropic-ai/bedrock-sdk",
		"@anthropic-ai/vertex-sdk", "@anthropic-ai/claude-code", "@ai-sdk/anthropic", "@langchain/anthropic"}
	pySDKs = []string{"anthropic", "claude-agent-sdk", "langchain-anthropic"} // normalized (PEP 503)
)

type sdkParser struct {
	pattern string // a file name, or a glob for requirements*.txt
	max     int64
	parse   func(file string, data []byte) []SDK
}

// sdkParsers fixes the order of FindSDKs' answer: by ecosystem, manifest
// before lock file.
var sdkParsers = []sdkParser{
	{"go.mod", maxManifest, parseGoMod},
	{"package.json", maxManifest, parsePackageJSON},
	{"package-lock.json", maxLockFile, parsePackageLock},
	{"npm-shrinkwrap.json", maxLockFile, parsePackageLock},
	{"pnpm-lock.yaml", maxLockFile, parsePnpmLock},
	{"yarn.lock", maxLockFile, parseYarnLock},
	{"requirements*.txt", maxManifest, parseRequirements},
	{"pyproject.toml", maxManifest, parsePyproject},
	{"Pipfile", maxManifest, parsePyproject},
	{"poetry.lock", maxLockFile, parseTOMLPackages},
	{"uv.lock", maxLockFile, parseTOMLPackages},
	{"Pipfile.lock", maxLockFile, parsePipfileLock},
	{"pom.xml", maxManifest, parsePom},
	{"build.gradle", maxManifest, parseGradle},
	{"build.gradle.kts", maxManifest, parseGradle},
	{"Gemfile", maxManifest, parseGemfile},
	{"Gemfile.lock", maxLockFile, parseGemfileLock},
	{"composer.json", maxManifest, parseComposerJSON},
	{"composer.lock", maxLockFile, parseComposerLock},
}

// FindSDKs lists the Anthropic SDKs that the project files in dir name,
// with their versions, in a stable order. It reads only dir itself (never
// node_modules or subdirectories), only regular files, each up to a size
// limit; unreadable or garbled files are skipped.
func FindSDKs(dir string) []SDK {
	if dir == "" {
		dir = "."
	}
	return findSDKs(localDir(dir))
}

func findSDKs(fsys fs.FS) []SDK {
	var out []SDK
	for _, p := range sdkParsers {
		names := []string{p.pattern}
		if strings.ContainsAny(p.pattern, "*?[") {
			names, _ = fs.Glob(fsys, p.pattern)
			slices.Sort(names)
		}
		for _, name := range names {
			if data, ok := readCapped(fsys, name, p.max); ok {
				out = append(out, p.parse(name, data)...)
			}
		}
	}
	return out
}

// readCapped reads a manifest, without a byte-order mark.
func readCapped(fsys fs.FS, name string, max int64) ([]byte, bool) {
	data, err := readRegularFS(fsys, name, max)
	if err != nil {
		return nil, false
	}
	return bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), true
}

// textLines splits data into lines without their line endings.
func textLines(data []byte) []string {
	ls := strings.Split(string(data), "\n")
	for i, l := range ls {
		ls[i] = strings.TrimSuffix(l, "\r")
	}
	return ls
}

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'' || s[0] == '`') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// --- Go ---

func goSDKName(path string) (string, bool) {
	path = unquote(path)
	if path == goSDKModule {
		return "anthropic-sdk-go", true
	}
	if rest, ok := strings.CutPrefix(path, goSDKModule+"/v"); ok {
		if _, err := strconv.Atoi(rest); err == nil {
			return "anthropic-sdk-go", true
		}
	}
	return "", false
}

func parseGoMod(file string, data []byte) []SDK {
	var out []SDK
	var replace string
	block := ""
	for i, line := range textLines(data) {
		if j := strings.Index(line, "//"); j >= 0 {
			line = line[:j]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		verb := block
		switch {
		case block != "" && f[0] == ")":
			block = ""
			continue
		case block == "" && (f[0] == "require" || f[0] == "replace"):
			if len(f) == 2 && f[1] == "(" {
				block = f[0]
				continue
			}
			verb, f = f[0], f[1:]
		case block == "":
			continue
		}
		switch verb {
		case "require":
			if name, ok := goSDKName(f[0]); ok && len(f) >= 2 {
				out = append(out, SDK{Name: name, Version: f[1], File: file, Line: i + 1, Ecosystem: EcoGo})
			}
		case "replace":
			if _, ok := goSDKName(f[0]); ok {
				if k := slices.Index(f, "=>"); k >= 0 && k+1 < len(f) {
					replace = strings.Join(f[k+1:], " ")
				}
			}
		}
	}
	if replace != "" {
		for i := range out {
			out[i].Version += " => " + replace
		}
	}
	return out
}

// --- JSON files (npm, Pipfile.lock, composer) ---

// jsonLeaves calls visit for every string and number of a JSON document, in
// document order, with its path (object keys; array indexes in decimal) and
// its 1-based line. visit must not keep path. It stops quietly at the first
// syntax error, at the end of a truncated file, or past maxJSONNest levels,
// keeping what it already reported.
func jsonLeaves(data []byte, visit func(path []string, value string, line int)) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		obj     bool
		wantKey bool
		idx     int
	}
	var stack []frame
	var path []string
	line, seen := 1, 0
	lineAt := func() int {
		off := int(dec.InputOffset())
		if off > len(data) {
			off = len(data)
		}
		if off > seen {
			line += bytes.Count(data[seen:off], []byte("\n"))
			seen = off
		}
		return line
	}
	advance := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].obj {
				stack[n-1].wantKey = true
			} else {
				stack[n-1].idx++
				path[n-1] = strconv.Itoa(stack[n-1].idx)
			}
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		n := len(stack)
		if n > 0 && stack[n-1].obj && stack[n-1].wantKey {
			if key, ok := tok.(string); ok {
				path[n-1] = key
				stack[n-1].wantKey = false
				continue
			}
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if n >= maxJSONNest {
					return
				}
				stack = append(stack, frame{obj: t == '{', wantKey: t == '{'})
				path = append(path, "0")
			default:
				stack, path = stack[:n-1], path[:n-1]
				advance()
			}
		case string:
			visit(path, t, lineAt())
			advance()
		case json.Number:
			visit(path, t.String(), lineAt())
			advance()
		default:
			advance()
		}
	}
}

func parsePackageJSON(file string, data []byte) []SDK {
	var out []SDK
	jsonLeaves(data, func(path []string, v string, line int) {
		if len(path) == 2 && isNPMDepsKey(path[0]) && slices.Contains(npmSDKs, path[1]) {
			out = append(out, SDK{Name: path[1], Version: v, File: file, Line: line, Ecosystem: EcoNPM})
		}
	})
	return out
}

func isNPMDepsKey(k string) bool {
	return k == "dependencies" || k == "devDependencies" || k == "optionalDependencies"
}

// parsePackageLock reads lockfileVersion 2 and 3 ("packages", keyed by
// install path) and 1 ("dependencies"). Versions 2 and 3 are looked up
// directly: a lock file can be megabytes, and only a few entries matter.
func parsePackageLock(file string, data []byte) []SDK {
	if !lockfileV1.Match(data) {
		return packageLockEntries(file, data)
	}
	var out []SDK
	jsonLeaves(data, func(path []string, v string, line int) {
		if len(path) == 3 && path[0] == "dependencies" && path[2] == "version" && slices.Contains(npmSDKs, path[1]) {
			out = append(out, SDK{Name: path[1], Version: v, File: file, Line: line, Ecosystem: EcoNPM})
		}
	})
	return out
}

var lockfileV1 = regexp.MustCompile(`"lockfileVersion"\s*:\s*1\b`)

// packageLockEntries finds the top-level install of each SDK in a version 2
// or 3 lock file: the key "node_modules/<name>" whose value is an object.
// Nested installs ("node_modules/x/node_modules/<name>") never match, since
// the key's opening quote is part of the search.
func packageLockEntries(file string, data []byte) []SDK {
	var out []SDK
	for _, name := range npmSDKs {
		needle := []byte(`"node_modules/` + name + `"`)
		for off := 0; ; {
			i := bytes.Index(data[off:], needle)
			if i < 0 {
				break
			}
			off += i + len(needle)
			rest := bytes.TrimLeft(data[off:], " \t\r\n")
			if len(rest) == 0 || rest[0] != ':' {
				continue
			}
			var entry struct {
				Version string `json:"version"`
			}
			obj := bytes.TrimLeft(rest[1:], " \t\r\n")
			if len(obj) == 0 || obj[0] != '{' || json.NewDecoder(bytes.NewReader(obj)).Decode(&entry) != nil || entry.Version == "" {
				continue
			}
			line := 1 + bytes.Count(data[:off], []byte("\n"))
			if v := bytes.Index(obj, []byte(`"version"`)); v >= 0 {
				line += bytes.Count(data[off:len(data)-len(obj)+v], []byte("\n"))
			}
			out = append(out, SDK{Name: name, Version: entry.Version, File: file, Line: line, Ecosystem: EcoNPM})
			break
		}
	}
	slices.SortStableFunc(out, func(a, b SDK) int { return a.Line - b.Line })
	return out
}

func parsePipfileLock(file string, data []byte) []SDK {
	var out []SDK
	jsonLeaves(data, func(path []string, v string, line int) {
		if len(path) == 3 && (path[0] == "default" || path[0] == "develop") && path[2] == "version" &&
			slices.Contains(pySDKs, pyNormalize(path[1])) {
			out = append(out, SDK{Name: pyNormalize(path[1]), Version: strings.TrimPrefix(v, "=="), File: file, Line: line, Ecosystem: EcoPyPI})
		}
	})
	return out
}

const phpSDK = "anthropic-ai/sdk"

func parseComposerJSON(file string, data []byte) []SDK {
	var out []SDK
	jsonLeaves(data, func(path []string, v string, line int) {
		if len(path) == 2 && (path[0] == "require" || path[0] == "require-dev") && strings.ToLower(path[1]) == phpSDK {
			out = append(out, SDK{Name: phpSDK, Version: v, File: file, Line: line, Ecosystem: EcoPackagist})
		}
	})
	return out
}

func parseComposerLock(file string, data []byte) []SDK {
	type entry struct {
		name, version string
		line          int
	}
	var order []string
	entries := map[string]*entry{}
	jsonLeaves(data, func(path []string, v string, line int) {
		if len(path) != 3 || (path[0] != "packages" && path[0] != "packages-dev") || (path[2] != "name" && path[2] != "version") {
			return
		}
		id := path[0] + "/" + path[1]
		e := entries[id]
		if e == nil {
			e = &entry{line: line}
			entries[id] = e
			order = append(order, id)
		}
		if path[2] == "name" {
			e.name = strings.ToLower(v)
		} else {
			e.version = v
		}
	})
	var out []SDK
	for _, id := range order {
		if e := entries[id]; e.name == phpSDK {
			out = append(out, SDK{Name: phpSDK, Version: e.version, File: file, Line: e.line, Ecosystem: EcoPackagist})
		}
	}
	return out
}

// --- npm lock files in YAML-like text ---

// yamlKey splits a "key: value" or "key:" line (already trimmed) whose key
// may be quoted.
func yamlKey(t string) (key, val string, ok bool) {
	if t == "" || t[0] == '-' || t[0] == '#' {
		return "", "", false
	}
	var rest string
	if t[0] == '\'' || t[0] == '"' {
		end := strings.IndexByte(t[1:], t[0])
		if end < 0 {
			return "", "", false
		}
		key, rest = t[1:end+1], t[end+2:]
		if !strings.HasPrefix(rest, ":") {
			return "", "", false
		}
		rest = rest[1:]
	} else {
		i := strings.Index(t, ": ")
		switch {
		case i >= 0:
			key, rest = t[:i], t[i+1:]
		case strings.HasSuffix(t, ":"):
			key = t[:len(t)-1]
		default:
			return "", "", false
		}
	}
	rest = strings.TrimSpace(rest)
	if i := strings.Index(rest, " #"); i >= 0 {
		rest = strings.TrimSpace(rest[:i])
	}
	return key, unquote(rest), true
}

// pnpmVersion drops the peer-dependency suffix pnpm adds to a version:
// "0.30.1(zod@3.23.8)" (v6+) or "0.30.1_zod@3.23.8" (v5).
func pnpmVersion(v string) string {
	if i := strings.IndexByte(v, '('); i > 0 {
		v = v[:i]
	}
	if i := strings.IndexByte(v, '_'); i > 0 && !strings.Contains(v[:i], ":") {
		v = v[:i]
	}
	return v
}

// parsePnpmLock reads the root project's dependencies: top-level
// "dependencies:" (lockfile v5, v6) or "importers: .:" (workspaces, v9).
func parsePnpmLock(file string, data []byte) []SDK {
	type frame struct {
		indent int
		key    string
	}
	var stack []frame
	var out []SDK
	for i, line := range textLines(data) {
		t := strings.TrimLeft(line, " ")
		key, val, ok := yamlKey(strings.TrimSpace(t))
		if !ok {
			continue
		}
		indent := len(line) - len(t)
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		if len(stack) >= 8 {
			continue
		}
		stack = append(stack, frame{indent, key})
		p := make([]string, len(stack))
		for j, f := range stack {
			p[j] = f.key
		}
		if len(p) >= 2 && p[0] == "importers" && p[1] == "." {
			p = p[2:]
		} else if p[0] == "importers" {
			continue
		}
		var name string
		switch {
		case len(p) == 2 && val != "":
			name = p[1]
		case len(p) == 3 && p[2] == "version" && val != "":
			name = p[1]
		default:
			continue
		}
		if isNPMDepsKey(p[0]) && slices.Contains(npmSDKs, name) {
			out = append(out, SDK{Name: name, Version: pnpmVersion(val), File: file, Line: i + 1, Ecosystem: EcoNPM})
		}
	}
	return out
}

// npmSpecName returns the package name of "name@range" or
// "@scope/name@npm:range".
func npmSpecName(spec string) string {
	if i := strings.IndexByte(spec[min(1, len(spec)):], '@'); i >= 0 {
		return spec[:i+min(1, len(spec))]
	}
	return spec
}

// parseYarnLock reads yarn classic ("version \"x\"") and berry
// ("version: x") lock files: one entry per resolved version.
func parseYarnLock(file string, data []byte) []SDK {
	var out []SDK
	current := ""
	for i, line := range textLines(data) {
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			current = ""
			if !strings.HasSuffix(line, ":") {
				continue
			}
			for _, spec := range strings.Split(strings.TrimSuffix(line, ":"), ",") {
				if name := npmSpecName(unquote(spec)); slices.Contains(npmSDKs, name) {
					current = name
				}
			}
			continue
		}
		if current == "" {
			continue
		}
		t := strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(t, "version"); ok && (strings.HasPrefix(v, " ") || strings.HasPrefix(v, ":")) {
			v = unquote(strings.TrimPrefix(v, ":"))
			out = append(out, SDK{Name: current, Version: v, File: file, Line: i + 1, Ecosystem: EcoNPM})
			current = ""
		}
	}
	return out
}

// --- Python ---

var pyNameSep = regexp.MustCompile(`[-_.]+`)

// pyNormalize is PEP 503's name normalization.
func pyNormalize(name string) string {
	return pyNameSep.ReplaceAllString(strings.ToLower(strings.TrimSpace(name)), "-")
}

var pep508Name = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*`)

// pep508 splits a requirement such as "anthropic[vertex] >=0.40,<1 ;
// python_version>'3.8'" into its normalized name and its version part
// ">=0.40,<1". A direct reference keeps its "@ url" form.
func pep508(req string) (name, version string, ok bool) {
	req = strings.TrimSpace(req)
	n := pep508Name.FindString(req)
	if n == "" {
		return "", "", false
	}
	rest := strings.TrimSpace(req[len(n):])
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return "", "", false
		}
		rest = strings.TrimSpace(rest[end+1:])
	}
	if url, ok := strings.CutPrefix(rest, "@"); ok {
		if f := strings.Fields(url); len(f) > 0 {
			return pyNormalize(n), "@ " + f[0], true
		}
		return "", "", false
	}
	if i := strings.IndexByte(rest, ';'); i >= 0 {
		rest = rest[:i]
	}
	rest = strings.Join(strings.Fields(rest), "")
	rest = strings.TrimSuffix(strings.TrimPrefix(rest, "("), ")")
	return pyNormalize(n), rest, true
}

func parseRequirements(file string, data []byte) []SDK {
	var out []SDK
	for i, line := range textLines(data) {
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' || t[0] == '-' {
			continue
		}
		for _, cut := range []string{" #", " --", "\t--"} {
			if j := strings.Index(t, cut); j >= 0 {
				t = t[:j]
			}
		}
		t = strings.TrimSuffix(strings.TrimSpace(t), "\\")
		if name, v, ok := pep508(t); ok && slices.Contains(pySDKs, name) {
			out = append(out, SDK{Name: name, Version: v, File: file, Line: i + 1, Ecosystem: EcoPyPI})
		}
	}
	return out
}

// tomlScan walks a fragment of TOML, returning the strings it holds outside
// inline tables, and stops at a comment or when the array it is in closes
// (*depth back to 0).
func tomlScan(s string, depth *int) (strs []string, closed bool) {
	braces := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '#':
			return strs, false
		case '[':
			*depth++
		case ']':
			*depth--
			if *depth <= 0 {
				return strs, true
			}
		case '{':
			braces++
		case '}':
			braces--
		case '"', '\'':
			var b strings.Builder
			j := i + 1
			for ; j < len(s) && s[j] != c; j++ {
				if c == '"' && s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
			}
			if braces == 0 {
				strs = append(strs, b.String())
			}
			i = j
		}
	}
	return strs, false
}

// tomlKV splits "key = value" with an optionally quoted key.
func tomlKV(t string) (key, val string, ok bool) {
	i := strings.IndexByte(t, '=')
	if i <= 0 {
		return "", "", false
	}
	return unquote(strings.TrimSpace(t[:i])), strings.TrimSpace(t[i+1:]), true
}

// tomlVersion returns the first string in a TOML value, or the value of
// its "version" key when it is an inline table.
func tomlVersion(val string) string {
	if strings.HasPrefix(val, "{") {
		for _, part := range strings.Split(strings.Trim(val, "{} "), ",") {
			if k, v, ok := tomlKV(strings.TrimSpace(part)); ok && k == "version" {
				return tomlVersion(v)
			}
		}
		return ""
	}
	depth := 1
	if strs, _ := tomlScan(val, &depth); len(strs) > 0 {
		return strs[0]
	}
	return ""
}

func tomlTable(t string) string {
	t = strings.Trim(t, "[] ")
	t = strings.NewReplacer(`"`, "", "'", "", " ", "").Replace(t)
	return t
}

// isPEP508Array says whether table.key holds an array of PEP 508
// requirements: PEP 621, PEP 735 and uv's dev-dependencies.
func isPEP508Array(table, key string) bool {
	switch table {
	case "project":
		return key == "dependencies"
	case "project.optional-dependencies", "dependency-groups":
		return true
	case "tool.uv":
		return key == "dev-dependencies"
	}
	return false
}

// isNameVersionTable says whether a table maps package names to versions:
// Poetry's dependency tables and Pipfile's package tables.
func isNameVersionTable(table string) bool {
	switch table {
	case "tool.poetry.dependencies", "tool.poetry.dev-dependencies", "packages", "dev-packages":
		return true
	}
	return strings.HasPrefix(table, "tool.poetry.group.") && strings.HasSuffix(table, ".dependencies")
}

// parsePyproject reads pyproject.toml (PEP 621, PEP 735, uv, Poetry) and
// Pipfile, line by line: enough TOML for these keys.
func parsePyproject(file string, data []byte) []SDK {
	var out []SDK
	emit := func(name, version string, line int) {
		if name = pyNormalize(name); slices.Contains(pySDKs, name) {
			out = append(out, SDK{Name: name, Version: version, File: file, Line: line, Ecosystem: EcoPyPI})
		}
	}
	requirements := func(strs []string, line int) {
		for _, s := range strs {
			if name, v, ok := pep508(s); ok {
				emit(name, v, line)
			}
		}
	}
	table, subject := "", "" // subject: the package of [tool.poetry.dependencies.<name>]
	inArray, depth := false, 0
	for i, line := range textLines(data) {
		if inArray {
			strs, closed := tomlScan(line, &depth)
			requirements(strs, i+1)
			inArray = !closed
			continue
		}
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") {
			if j := strings.Index(t, "#"); j >= 0 {
				t = strings.TrimSpace(t[:j])
			}
			table, subject = tomlTable(t), ""
			if k := strings.LastIndexByte(table, '.'); k > 0 && isNameVersionTable(table[:k]) {
				table, subject = table[:k]+".*", table[k+1:]
			}
			continue
		}
		key, val, ok := tomlKV(t)
		if !ok {
			continue
		}
		switch {
		case isPEP508Array(table, key) && strings.HasPrefix(val, "["):
			depth = 0
			strs, closed := tomlScan(val, &depth)
			requirements(strs, i+1)
			inArray = !closed
		case isNameVersionTable(table):
			emit(key, tomlVersion(val), i+1)
		case subject != "" && key == "version":
			emit(subject, tomlVersion(val), i+1)
		}
	}
	return out
}

// parseTOMLPackages reads the [[package]] entries of poetry.lock and
// uv.lock.
func parseTOMLPackages(file string, data []byte) []SDK {
	var out []SDK
	in := false
	var name, version string
	line := 0
	flush := func() {
		if n := pyNormalize(name); in && version != "" && slices.Contains(pySDKs, n) {
			out = append(out, SDK{Name: n, Version: version, File: file, Line: line, Ecosystem: EcoPyPI})
		}
		in, name, version, line = false, "", "", 0
	}
	for i, l := range textLines(data) {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[") {
			flush()
			in = t == "[[package]]"
			continue
		}
		if !in {
			continue
		}
		k, v, ok := tomlKV(t)
		switch {
		case !ok:
		case k == "name":
			name = tomlVersion(v)
		case k == "version":
			version, line = tomlVersion(v), i+1
		}
	}
	flush()
	return out
}

// --- Java, Ruby ---

const javaGroup = "com.anthropic"

func isJavaSDK(group, artifact string) bool {
	return group == javaGroup && strings.HasPrefix(artifact, "anthropic-java")
}

// parsePom reads <dependency> elements of a Maven pom.xml, resolving a
// ${property} version from <properties> when it is defined there.
func parsePom(file string, data []byte) []SDK {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	props := map[string]string{}
	var stack []string
	var out []SDK
	var dep map[string]string
	depLine := 0
	for len(stack) < 64 {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			if t.Name.Local == "dependency" {
				dep = map[string]string{}
				depLine, _ = dec.InputPos()
			}
		case xml.EndElement:
			if len(stack) == 0 {
				break
			}
			stack = stack[:len(stack)-1]
			if t.Name.Local == "dependency" && dep != nil {
				if isJavaSDK(dep["groupId"], dep["artifactId"]) {
					out = append(out, SDK{Name: dep["groupId"] + ":" + dep["artifactId"], Version: dep["version"],
						File: file, Line: depLine, Ecosystem: EcoMaven})
				}
				dep = nil
			}
		case xml.CharData:
			n := len(stack)
			switch {
			case n >= 2 && stack[n-2] == "dependency" && dep != nil:
				dep[stack[n-1]] += strings.TrimSpace(string(t))
			case n == 3 && stack[1] == "properties":
				props[stack[2]] += strings.TrimSpace(string(t))
			}
		}
	}
	for i, s := range out {
		if p, ok := strings.CutPrefix(s.Version, "${"); ok && strings.HasSuffix(p, "}") {
			if v := props[strings.TrimSuffix(p, "}")]; v != "" {
				out[i].Version = v
			}
		}
	}
	return out
}

var (
	gradleCoord = regexp.MustCompile(`["']com\.anthropic:(anthropic-java[A-Za-z0-9_.-]*)(?::([^"'\s:@]+))?`)
	gemLine     = regexp.MustCompile(`^\s*gem\s*\(?\s*["']anthropic["']`)
	// gemConstraint is one more positional argument: , "~> 1.0"
	gemConstraint = regexp.MustCompile(`^\s*,\s*["']([^"']*)["']`)
	gemLockSpec   = regexp.MustCompile(`^    anthropic \(([^)]*)\)\s*$`)
)

func parseGradle(file string, data []byte) []SDK {
	var out []SDK
	for i, line := range textLines(data) {
		if m := gradleCoord.FindStringSubmatch(line); m != nil {
			out = append(out, SDK{Name: javaGroup + ":" + m[1], Version: m[2], File: file, Line: i + 1, Ecosystem: EcoMaven})
		}
	}
	return out
}

func parseGemfile(file string, data []byte) []SDK {
	var out []SDK
	for i, line := range textLines(data) {
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = line[:j]
		}
		loc := gemLine.FindStringIndex(line)
		if loc == nil {
			continue
		}
		var cons []string
		for rest := line[loc[1]:]; ; {
			m := gemConstraint.FindStringSubmatchIndex(rest)
			if m == nil {
				break
			}
			cons = append(cons, rest[m[2]:m[3]])
			rest = rest[m[1]:]
		}
		out = append(out, SDK{Name: "anthropic", Version: strings.Join(cons, ", "), File: file, Line: i + 1, Ecosystem: EcoRubyGems})
	}
	return out
}

// parseGemfileLock reads the "specs:" of Gemfile.lock, where installed gems
// sit at four spaces (their own requirements sit deeper).
func parseGemfileLock(file string, data []byte) []SDK {
	var out []SDK
	for i, line := range textLines(data) {
		if m := gemLockSpec.FindStringSubmatch(line); m != nil {
			out = append(out, SDK{Name: "anthropic", Version: m[1], File: file, Line: i + 1, Ecosystem: EcoRubyGems})
		}
	}
	return out
}
