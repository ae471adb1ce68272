package probe

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// Discover finds every key candidate, in this order: the key given on
// stdin; the process environment (ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN,
// CLAUDE_CODE_OAUTH_TOKEN, the misnamed CLAUDE_API_KEY and ANTHROPIC_KEY,
// then any other variable holding an sk-ant- value); .env-style files in
// env.Dir and its parents, nearest first, up to the directory holding
// .git or env.Home, and only env.Dir when it is under neither (see
// dotenvDirs); shell start-up files under env.Home (and
// ~/.config/fish/conf.d); Claude Code's settings (~/.claude/settings.json,
// then the project's .claude/settings.json and settings.local.json).
// In files it looks for the same names plus any variable whose value
// holds "sk-ant-"; commented-out lines are skipped.
//
// Value is what the consumer reads: the environment's value, what
// godotenv returns for the line, what the shell assigns. A shell value
// that needs a command or an unknown variable, and Claude Code's
// apiKeyHelper (a command), are never run: such a candidate has an empty
// Value, the hint "(not evaluated)" and an IssueUnresolved issue.
// Files are only read, within the bounds of bounds.go; binary files,
// FIFOs, sockets and devices are skipped. Clean and Issues come from
// Hygiene(Value); Kind, Provider and Hint from the cleaned value. A nil
// env finds nothing. DiscoverAll also says which files were skipped or
// read in part.
func Discover(env *Env) []Candidate { return DiscoverAll(env).Candidates }

// FileNote says why Discover read a file only in part, or not at all. Note
// is sanitized words, never a value from the file.
type FileNote struct {
	Path   string // absolute
	Source string // as shown: .env, ~/.bashrc
	Note   string // "a FIFO (named pipe): not read"
}

// Discovery is everything Discover found: the candidates, and a note for
// each file it skipped or read in part.
type Discovery struct {
	Candidates []Candidate
	Notes      []FileNote
	// Profile is the SDK profile the SDKs would load; nil when there is no
	// config directory to look in.
	Profile *Profile
	// Federation is the Workload Identity Federation setup; nil when no
	// federation variable is set and no federation profile is active.
	Federation *Federation
	// Claude is what Claude Code's /login stores hold; nil unless Claude
	// Code is the client (only then are they read).
	Claude *ClaudeCode
}

// DiscoverAll is Discover with the notes on the files. Claude Code's login
// stores are read when env's client (--for) is Claude Code.
func DiscoverAll(env *Env) Discovery {
	if env == nil {
		return Discovery{}
	}
	return discoverFor(env, ResolveClient(env.For, FindSDKs(env.Dir)).IsClaudeCode())
}

// discoverFor is DiscoverAll for a client already resolved: claude says
// whether it is Claude Code.
func discoverFor(env *Env, claude bool) Discovery {
	if env == nil {
		return Discovery{}
	}
	d := discovery{env: env, home: absPath(env.Home), dir: absPath(cmp.Or(env.Dir, "."))}
	if claude {
		d.cc = d.newClaudeCode()
	}
	out := d.find()
	if len(out) > MaxCandidates {
		d.note("", "", fmt.Sprintf("%d candidates found; only the first %d are reported", len(out), MaxCandidates))
		out = out[:MaxCandidates]
	}
	if d.cc != nil {
		d.cc.helpers(out)
	}
	return Discovery{Candidates: out, Notes: d.notes, Profile: d.prof, Federation: d.fed, Claude: d.cc}
}

func (d *discovery) find() []Candidate {
	var out []Candidate
	for _, s := range sources {
		out = append(out, s.Find(d)...)
	}
	// An Admin key kept under its own name is a lookup credential, not a
	// key to test, wherever it is found (see AdminKey).
	return slices.DeleteFunc(out, func(c Candidate) bool { return c.Var == VarAdminKey })
}

// capped notes a file whose scan stopped at MaxFileCandidates.
func (d *discovery) capped(path string, found int, projectFirst bool) {
	if found >= MaxFileCandidates {
		d.note(path, d.label(path, 0, projectFirst), fmt.Sprintf("the scan stopped at %d candidates", MaxFileCandidates))
	}
}

// note records a file-level note; path may be empty for a note on the
// whole discovery.
func (d *discovery) note(path, source, text string) {
	d.notes = append(d.notes, FileNote{Path: path, Source: source, Note: text})
}

// ChooseActive returns the index of the key an SDK or app would use, or -1
// when none would be found: the stdin key when given; else a non-empty
// ANTHROPIC_API_KEY in the environment; else ANTHROPIC_API_KEY from the
// nearest directory's loaded .env file (.env.development.local,
// .env.local, .env.development, .env; the last assignment in the file) —
// dotenv loaders never override a variable already set, which is why the
// environment wins; else ANTHROPIC_AUTH_TOKEN by the same rules, so that a
// setup with only a bearer token is tested the way the SDKs send it. Keys
// only in shell start-up files or Claude Code's settings are not loaded by
// an SDK: the caller reports them as not loaded. vars, when given, are the
// variables the client reads, first wins (a row of the client table);
// without them, ANTHROPIC_API_KEY then ANTHROPIC_AUTH_TOKEN. A name that is
// a tier of the chain (creds.TierProfileNamed, creds.TierProfileActive)
// chooses the SDK profile's access token of that tier. A Foreign
// candidate, from a file another user owns, is never chosen.
func ChooseActive(env *Env, c []Candidate, vars ...string) int {
	if env != nil && env.HasStdinKey {
		for i := range c {
			if c[i].Origin == OriginStdin && !c[i].Foreign {
				return i
			}
		}
	}
	if len(vars) == 0 {
		vars = []string{VarAPIKey, VarAuthToken}
	}
	for _, name := range vars {
		for i := range c {
			if c[i].Origin == OriginProfile && c[i].Var == name && c[i].Value != "" {
				return i
			}
		}
		for i := range c {
			if c[i].Origin == OriginEnv && c[i].Var == name && c[i].Value != "" && !c[i].Foreign {
				return i
			}
		}
		best, bestDepth, bestRank := -1, -1, 0
		for i := range c {
			if c[i].Origin != OriginDotenv || c[i].Var != name || c[i].Value == "" || c[i].Foreign || unloadable(c[i]) {
				continue
			}
			rank := slices.Index(dotenvLoaded, filepath.Base(c[i].Path))
			if rank < 0 {
				continue
			}
			depth := len(filepath.Dir(c[i].Path))
			switch {
			case depth > bestDepth,
				depth == bestDepth && rank < bestRank,
				depth == bestDepth && rank == bestRank && c[i].Line > c[best].Line:
				best, bestDepth, bestRank = i, depth, rank
			}
		}
		if best >= 0 {
			return best
		}
	}
	return -1
}

// finish fills the derived fields of a candidate from its Value. A value
// from a file longer than MaxValue is no key: it is not evaluated.
func finish(c Candidate) Candidate {
	if len(c.Value) > MaxValue && c.Origin != OriginEnv && c.Origin != OriginStdin {
		return unresolved(c, fmt.Sprintf("its value is longer than %d KiB, which no key is; fix401 did not evaluate it", MaxValue>>10))
	}
	c.Raw = clip(c.Raw)
	c.Clean, c.Issues = Hygiene(c.Value)
	c.Kind, c.Provider = Classify(c.Clean)
	c.Hint = Hint(c.Clean)
	return c
}

// unresolved is a candidate whose value fix401 will not compute.
func unresolved(c Candidate, detail string) Candidate {
	c.Raw = clip(c.Raw)
	c.Value, c.Clean, c.Hint, c.Kind, c.Provider = "", "", "(not evaluated)", KindUnknown, ""
	c.Issues = []Issue{{Code: IssueUnresolved, Detail: detail}}
	return c
}

// clip keeps the first MaxValue bytes of a file's raw text: enough for
// the redactor to know any key in it, never a line of a MiB.
func clip(raw string) string {
	if len(raw) > MaxValue {
		return raw[:MaxValue]
	}
	return raw
}

type discovery struct {
	env       *Env
	home, dir string
	notes     []FileNote
	foreign   map[string]bool   // files read that another user owns
	encoding  map[string]string // files read that are not plain UTF-8: their encoding
	prof      *Profile          // the SDK profile, set by profileSource
	fed       *Federation       // the federation setup, set by federationSource
	// want, when set, picks the shell and .env assignments to record
	// instead of interesting (the provider scan reads its own variables).
	want func(name, raw string) bool
	cc   *ClaudeCode // Claude Code's stores, when it is the client; filled by claudeSource
}

func absPath(p string) string {
	if p == "" {
		return ""
	}
	a, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	return a
}

// label names a file for people: relative to the project when inside it
// (dotenv files), else under ~, else absolute.
func (d *discovery) label(path string, line int, projectFirst bool) string {
	l := path
	if rel, err := filepath.Rel(d.dir, path); projectFirst && err == nil && !strings.HasPrefix(rel, "..") {
		l = rel
	} else if rel, err := filepath.Rel(d.home, path); d.home != "" && err == nil && !strings.HasPrefix(rel, "..") {
		l = "~/" + filepath.ToSlash(rel)
	}
	if line > 0 {
		l += fmt.Sprintf(":%d", line)
	}
	return l
}

// interesting reports whether a variable in a file is worth a candidate.
func interesting(name, raw string) bool {
	return slices.Contains(KeyVars, name) || strings.Contains(raw, "sk-ant-")
}

// wants reports whether an assignment in a shell or .env file is worth
// recording.
func (d *discovery) wants(name, raw string) bool {
	if d.want != nil {
		return d.want(name, raw)
	}
	return interesting(name, raw)
}

// readFile reads the first MaxKeyFile bytes of a regular file, cut at the
// last whole line. ok is false for anything missing, unreadable, not a
// regular file (a FIFO would block; a venv named .env is a directory) or
// binary; each but a missing file or a directory gets a note.
func (d *discovery) readFile(path string, projectFirst bool) (data []byte, ok bool) {
	data, err := ReadRegular(path, MaxKeyFile+1)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, false
	case errors.Is(err, ErrNotRegular):
		if st, serr := os.Stat(path); serr != nil || !st.IsDir() {
			d.note(path, d.label(path, 0, projectFirst), strings.TrimPrefix(err.Error(), ErrNotRegular.Error()+": ")+": not read")
		}
		return nil, false
	case err != nil:
		d.note(path, d.label(path, 0, projectFirst), "not read: "+readError(err))
		return nil, false
	}
	if len(data) > MaxKeyFile {
		data = data[:MaxKeyFile]
		if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
			data = data[:i+1]
		}
		d.note(path, d.label(path, 0, projectFirst), fmt.Sprintf("larger than %d KiB: only the first %d KiB were read", MaxKeyFile>>10, MaxKeyFile>>10))
	}
	data, enc := Decode(data)
	switch enc {
	case EncUTF8BOM:
		d.note(path, d.label(path, 0, projectFirst), "starts with a UTF-8 byte-order mark: python-dotenv and godotenv read its first variable under another name; save it without the mark")
	case EncUTF16LE, EncUTF16BE:
		d.note(path, d.label(path, 0, projectFirst), "is saved as UTF-16 (PowerShell's > does this), which no dotenv loader reads: save it as UTF-8")
	}
	if enc != EncUTF8 {
		if d.encoding == nil {
			d.encoding = map[string]string{}
		}
		d.encoding[path] = enc
	}
	if binary(data) {
		d.note(path, d.label(path, 0, projectFirst), "looks binary: not read")
		return nil, false
	}
	// Files in --dir itself are the project the user pointed at (as root in
	// a container, a bind-mounted project belongs to another uid): only the
	// parents' files and the home's can be someone else's.
	if uid, ok := fileOwner(path); ok && uid != os.Geteuid() && filepath.Dir(path) != d.dir {
		if d.foreign == nil {
			d.foreign = map[string]bool{}
		}
		d.foreign[path] = true
		d.note(path, d.label(path, 0, projectFirst), fmt.Sprintf("owned by another user (uid %d), not by you (uid %d): its keys are listed, never offered as the fix", uid, os.Geteuid()))
	}
	return data, true
}

// mark flags the candidates of a file owned by another user.
func (d *discovery) mark(path string, cs []Candidate) []Candidate {
	if enc := d.encoding[path]; enc != "" {
		for i := range cs {
			cs[i].Encoding = enc
		}
	}
	if d.foreign[path] {
		for i := range cs {
			cs[i].Foreign = true
		}
	}
	return cs
}

// binary reports whether data looks like anything but text: a NUL byte, or
// many control characters or invalid UTF-8 sequences near the start.
func binary(data []byte) bool {
	if bytes.IndexByte(data, 0) >= 0 {
		return true
	}
	head := data[:min(len(data), 8192)]
	bad := 0
	for i := 0; i < len(head); {
		r, n := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && n == 1 || r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' && r != '\v' {
			bad++
		}
		i += n
	}
	return bad*10 > len(head)
}
