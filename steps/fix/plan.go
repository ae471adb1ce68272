package fix

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/creds"
	"github.com/fix401/fix401/steps"
)

// Codes of the findings a plan fixes beside the diagnosis: they are
// warnings, not diagnoses, and appear only in Reason.Code.
const (
	// FileEncoding: a .env file saved with a byte-order mark or as UTF-16.
	FileEncoding steps.Code = "env_encoding"
	// NotIgnored: a .env file holding a key is not in .gitignore.
	NotIgnored steps.Code = "env_not_ignored"
	// SaveKey: the key given on stdin works and is saved where the app
	// reads its key.
	SaveKey steps.Code = "save_key"
	// SaveWorkspace: the workspace id given with --workspace-id was
	// accepted and is saved in ANTHROPIC_CUSTOM_HEADERS.
	SaveWorkspace steps.Code = "save_workspace"
	// StaleCopy: a shell start-up file exports a key the API rejected,
	// beside the key in use that works: the next terminal would use it.
	StaleCopy steps.Code = "stale_copy"
)

// Console pages a Manual points at.
const (
	URLKeys       = "https://platform.claude.com/settings/keys"
	URLBilling    = "https://platform.claude.com/settings/billing"
	URLLimits     = "https://platform.claude.com/settings/limits"
	URLWorkspaces = "https://platform.claude.com/settings/workspaces"
	URLFederation = "https://platform.claude.com/settings/workload-identity-federation"
	URLStatus     = "https://status.claude.com"
)

// Options are what a plan needs beyond the report and the diagnosis.
type Options struct {
	// Now dates the comment a disabled line gets ("disabled by fix401 on
	// 2026-11-29"); nil: the report's StartedAt.
	Now func() time.Time
	// Dir is the project (--dir): where a .env is created for a key given
	// on stdin, and whose .gitignore is checked; empty: the directory of
	// the .env files found, and no .env is created.
	Dir string
	// WorkspaceID is --workspace-id when it was given: once the API
	// accepted requests sent with it, it is saved in the project's .env.
	WorkspaceID string
	// Tracked reports whether git tracks a file (it was committed); nil:
	// not known, and nothing is said about it.
	Tracked func(path string) bool
	// Shell is the user's $SHELL: the command that clears a variable in
	// it (fish has no unset); empty: a POSIX shell.
	Shell string
}

// Make turns a finished report and its diagnosis into a plan: for the
// diagnosis and each finding in d.Also, the file edits that fix it, merged
// into one Change per file, and for what no file edit can do (a variable
// exported in this very shell, a Console setting, a CI secret), a Manual
// naming the command to run or the page to open. Every file is read
// through read and nothing is written. A plan never comments out or
// overwrites a key the API accepted, and never writes a key the user did
// not give (on stdin). Disabled lines are kept as comments, dated by the
// report's clock. An unfinished report gives an empty plan.
func Make(r *probe.Report, d steps.Diagnosis, read Reader) Plan {
	return MakeWith(r, d, read, Options{})
}

// MakeWith is Make with the flags and facts only the caller knows.
func MakeWith(r *probe.Report, d steps.Diagnosis, read Reader, o Options) Plan {
	if r == nil || d.Code == steps.Incomplete || !r.Finished() {
		return Plan{}
	}
	b := newBuilder(r, read, o)
	seen := map[steps.Code]bool{}
	for _, x := range append([]steps.Diagnosis{d}, d.Also...) {
		if seen[x.Code] {
			continue
		}
		seen[x.Code] = true
		b.planFor(x)
	}
	b.appKey()
	b.saveStdinKey()
	b.staleCopies()
	b.saveWorkspace()
	b.encodings()
	b.gitignore()
	return b.plan()
}

// planFor plans one finding. Whatever its planner could not turn into an
// edit or a step, the diagnosis's own fix becomes a manual step: a
// finding is never skipped in silence.
func (b *builder) planFor(d steps.Diagnosis) {
	before := b.count(d.Code)
	if p, ok := planners[d.Code]; ok {
		p(b, d)
	}
	b.subscription(d)
	if d.Code != steps.OK && b.count(d.Code) == before {
		b.manual(d.Code, d.Fix, "", "")
	}
}

// count is how many reasons and manual steps answer code so far.
func (b *builder) count(code steps.Code) int {
	n := 0
	for _, f := range b.files {
		for _, r := range f.why {
			if r.Code == code {
				n++
			}
		}
	}
	for _, m := range b.manuals {
		if m.Code == code {
			n++
		}
	}
	return n
}

// builder holds a plan as it is made.
type builder struct {
	r     *probe.Report
	read  Reader
	o     Options
	stamp string

	files   map[string]*fileEdit
	order   []string
	unread  map[string]error // files the Reader refused, and why
	manuals []Manual
	// valueOK: values the API accepted as they are; cleanOK: cleaned
	// values it accepted (other keys are tested cleaned).
	valueOK, cleanOK map[string]bool
	// tested: cleaned values the API rejected as keys (401).
	tested map[string]bool
	// removed: candidates the plan disables; unset: variables the user is
	// told to unset.
	removed map[int]bool
	unset   map[string]bool
	// written: candidates whose value the plan replaces, with the key
	// written there (a cleaned key that works, or the key given on stdin).
	written map[int]string
	// added is the key the plan adds to the project's .env (on stdin).
	added string
}

func newBuilder(r *probe.Report, read Reader, o Options) *builder {
	now := r.StartedAt
	if o.Now != nil {
		now = o.Now()
	}
	b := &builder{r: r, read: read, o: o,
		stamp: "disabled by fix401 on " + now.Format(time.DateOnly),
		files: map[string]*fileEdit{}, unread: map[string]error{},
		valueOK: map[string]bool{}, cleanOK: map[string]bool{}, tested: map[string]bool{},
		removed: map[int]bool{}, unset: map[string]bool{}, written: map[int]string{}}
	if k := r.ActiveKey(); k != nil {
		if r.Auth.Accepted() {
			b.valueOK[k.Value] = true
			if k.Value == k.Clean {
				b.cleanOK[k.Clean] = true
			}
		}
		if r.CleanAuth.Accepted() {
			b.cleanOK[k.Clean] = true
		}
	}
	for _, a := range r.Others {
		if a.Index < 0 || a.Index >= len(r.Candidates) {
			continue
		}
		c := r.Candidates[a.Index].Clean
		if a.Answer.Accepted() {
			b.cleanOK[c] = true
		}
		if k := a.Answer.Class(); k == probe.ClassInvalid || k == probe.ClassTokenExpired {
			b.tested[c] = true
		}
	}
	return b
}

// accepted reports whether the API accepted c's key, as it is or
// cleaned: such a key is never disabled or overwritten.
func (b *builder) accepted(c *probe.Candidate) bool {
	return c.Value != "" && (b.valueOK[c.Value] || c.Clean != "" && b.cleanOK[c.Clean])
}

// dead reports whether the API rejected c's key, cleaned, as a key.
func (b *builder) dead(c *probe.Candidate) bool {
	return c.Clean != "" && b.tested[c.Clean] && !b.accepted(c)
}

// works reports whether c's value works as it is, stray characters and
// all.
func (b *builder) works(c *probe.Candidate) bool {
	return c.Value != "" && (b.valueOK[c.Value] || c.Value == c.Clean && b.cleanOK[c.Clean])
}

// file returns the edit of path, reading it once; nil when it cannot be
// read.
func (b *builder) file(path string) *fileEdit {
	if f, ok := b.files[path]; ok {
		return f
	}
	if b.unread[path] != nil || b.read == nil || path == "" {
		return nil
	}
	data, err := b.read(path)
	if err != nil {
		b.unread[path] = err
		return nil
	}
	f := newFileEdit(path, data)
	b.files[path] = f
	b.order = append(b.order, path)
	return f
}

// newFile returns the edit of path, which is created when it does not
// exist; nil when it exists and cannot be read.
func (b *builder) newFile(path string) *fileEdit {
	if f := b.file(path); f != nil {
		return f
	}
	if !errors.Is(b.unread[path], fs.ErrNotExist) {
		return nil
	}
	delete(b.unread, path)
	f := newFileEdit(path, nil)
	b.files[path] = f
	b.order = append(b.order, path)
	return f
}

// manual adds a step for the user, once.
func (b *builder) manual(code steps.Code, title, command, url string) {
	title = strings.TrimSpace(title)
	if title == "" {
		title = "See the diagnosis"
	}
	m := Manual{Code: code, Title: title, Command: command, URL: url}
	for _, o := range b.manuals {
		if o.Title == m.Title && o.Command == m.Command && o.URL == m.URL {
			return
		}
	}
	b.manuals = append(b.manuals, m)
}

// unsetVar tells the user to unset a variable of this shell.
func (b *builder) unsetVar(code steps.Code, name string) {
	b.unset[name] = true
	b.manual(code, fmt.Sprintf("Unset %s in this shell (a new terminal reads the fixed files)", name), UnsetCommand(b.o.Shell, name), "")
}

// UnsetCommand is the command that clears variable name in shell (a
// $SHELL path): set -e in fish, unset elsewhere.
func UnsetCommand(shell, name string) string {
	if filepath.Base(shell) == "fish" {
		return "set -e " + name
	}
	return "unset " + name
}

// label names a file the way the candidates do: the source without its
// line number.
func label(c *probe.Candidate) string {
	if i := strings.LastIndexByte(c.Source, ':'); i > 0 && c.Line > 0 {
		return c.Source[:i]
	}
	return cmp.Or(c.Source, c.Path)
}

// byHand is the manual step when a planned edit could not be made.
func (b *builder) byHand(code steps.Code, c *probe.Candidate, what string) {
	b.manual(code, fmt.Sprintf("%s line %d of %s by hand: fix401 could not edit it", what, c.Line, label(c)), "", "")
}

// disable comments out c's assignment (every line of it). It refuses a
// key the API accepted.
func (b *builder) disable(code steps.Code, c *probe.Candidate, why string) bool {
	if b.accepted(c) {
		return false
	}
	return b.commentOut(code, c, why)
}

// commentOut comments out c's assignment, whether or not the API accepted
// it: only for a credential that authenticates but is refused for what it
// bills (see subscription).
func (b *builder) commentOut(code steps.Code, c *probe.Candidate, why string) bool {
	if c.Path == "" || c.Line <= 0 {
		return false
	}
	if c.Foreign {
		b.byHand(code, c, "Comment out")
		return false
	}
	idx := b.index(c)
	f := b.file(c.Path)
	if f == nil {
		b.byHand(code, c, "Comment out")
		return false
	}
	if f.commented(c.Line) {
		return true
	}
	s, ok := f.locate(c)
	if !ok || !f.commentOut(c.Line, s.lastLine, b.stamp, c.Origin == probe.OriginShell && !fish(c.Path)) {
		b.byHand(code, c, "Comment out")
		return false
	}
	if idx >= 0 {
		b.removed[idx] = true
	}
	hint := ""
	if c.Hint != "" && c.Value != "" {
		hint = " (" + c.Hint + ")"
	}
	f.because(code, "%s:%d: comment out %s%s, %s", label(c), c.Line, c.Var, hint, why)
	return true
}

// setKey puts key in place of c's value, keeping its quotes. It refuses to
// overwrite a key the API accepted with anything else.
func (b *builder) setKey(code steps.Code, c *probe.Candidate, key, title string) bool {
	if b.accepted(c) && key != c.Value && key != c.Clean {
		return false
	}
	if c.Foreign {
		b.byHand(code, c, "Edit")
		return false
	}
	f := b.file(c.Path)
	if f == nil {
		b.byHand(code, c, "Edit")
		return false
	}
	s, ok := f.locate(c)
	if !ok {
		b.byHand(code, c, "Edit")
		return false
	}
	with := key
	if s.wrap != 0 {
		with = string(s.wrap) + key + string(s.wrap)
	}
	if string(f.text[s.from:s.to]) == with {
		return true
	}
	if !f.add(edit{start: s.from, end: s.to, with: with}) {
		b.byHand(code, c, "Edit")
		return false
	}
	if i := b.index(c); i >= 0 {
		b.written[i] = key
	}
	f.because(code, "%s:%d: %s", label(c), c.Line, title)
	return true
}

// rename changes the variable c assigns to name.
func (b *builder) rename(code steps.Code, c *probe.Candidate, name, title string) bool {
	f := b.file(c.Path)
	if f == nil || c.Foreign {
		b.byHand(code, c, "Rename the variable on")
		return false
	}
	s, ok := f.locate(c)
	if !ok || !f.add(edit{start: s.nameAt, end: s.nameAt + len(c.Var), with: name}) {
		b.byHand(code, c, "Rename the variable on")
		return false
	}
	f.because(code, "%s:%d: %s", label(c), c.Line, title)
	return true
}

// index returns c's index in the report's candidates, or -1.
func (b *builder) index(c *probe.Candidate) int {
	for i := range b.r.Candidates {
		if &b.r.Candidates[i] == c {
			return i
		}
	}
	return -1
}

// winner is the key the user's app would use once the plan is made: the
// disabled candidates gone, the unset variables unset, and without the key
// given on stdin, which the app never sees.
func (b *builder) winner() int {
	var cs []probe.Candidate
	var at []int
	for i, c := range b.r.Candidates {
		if b.removed[i] || c.Origin == probe.OriginStdin || c.Origin == probe.OriginEnv && b.unset[c.Var] {
			continue
		}
		cs = append(cs, c)
		at = append(at, i)
	}
	w := probe.ChooseActive(&probe.Env{}, cs, b.precedence()...)
	if w < 0 {
		return -1
	}
	return at[w]
}

func (b *builder) precedence() []string {
	return slices.DeleteFunc(b.r.Client.Precedence(), func(s string) bool { return s == creds.TierFederation })
}

// clearStale takes away, in the order the app looks, every stale copy
// that would win: an exported variable is unset (a manual step), a .env
// line commented out, until the winner is a key that is not stale. Shell
// lines that hold a stale value are commented out too: they would export
// it again in the next terminal. It returns the winner.
func (b *builder) clearStale(code steps.Code, stale func(*probe.Candidate) bool, why string) int {
	for range len(b.r.Candidates) + 1 {
		w := b.winner()
		if w < 0 || !stale(&b.r.Candidates[w]) {
			break
		}
		c := &b.r.Candidates[w]
		switch {
		case c.Origin == probe.OriginEnv:
			b.unsetVar(code, c.Var)
		case c.Origin == probe.OriginDotenv && b.disable(code, c, why):
		default:
			return w
		}
	}
	for i := range b.r.Candidates {
		c := &b.r.Candidates[i]
		if c.Origin == probe.OriginShell && stale(c) {
			b.disable(code, c, why)
		}
	}
	return b.winner()
}

// plan assembles the changes in the order files were first touched.
func (b *builder) plan() Plan {
	var p Plan
	for _, path := range b.order {
		f := b.files[path]
		if (f.enc == probe.EncUTF16LE || f.enc == probe.EncUTF16BE) && len(f.edits) > 0 && !f.reenc {
			f.reenc = true // fix401 writes UTF-8 only
			f.because(FileEncoding, "%s: saved as UTF-8 (it was UTF-16)", path)
		}
		if ch, ok := f.change(); ok {
			p.Changes = append(p.Changes, ch)
		}
	}
	p.Manual = b.manuals
	return p
}

// projectDir is where the project's .env lives: Options.Dir, else the
// directory of the nearest .env file found.
func (b *builder) projectDir() string {
	if b.o.Dir != "" {
		return b.o.Dir
	}
	best := ""
	for _, c := range b.r.Candidates {
		if c.Origin == probe.OriginDotenv && (best == "" || len(filepath.Dir(c.Path)) > len(best)) {
			best = filepath.Dir(c.Path)
		}
	}
	return best
}

// snap is the builder's state, to undo an attempt that did not work out.
type snap struct {
	edits   map[string][]edit
	why     map[string][]Reason
	mode    map[string]fs.FileMode
	removed map[int]bool
	unset   map[string]bool
	written map[int]string
	manuals []Manual
}

func (b *builder) snapshot() snap {
	s := snap{edits: map[string][]edit{}, why: map[string][]Reason{}, mode: map[string]fs.FileMode{},
		removed: maps.Clone(b.removed), unset: maps.Clone(b.unset), written: maps.Clone(b.written), manuals: slices.Clone(b.manuals)}
	for p, f := range b.files {
		s.edits[p], s.why[p], s.mode[p] = slices.Clone(f.edits), slices.Clone(f.why), f.mode
	}
	return s
}

func (b *builder) restore(s snap) {
	for p, f := range b.files {
		f.edits, f.why, f.mode = s.edits[p], s.why[p], s.mode[p]
	}
	b.removed, b.unset, b.written, b.manuals = s.removed, s.unset, s.written, s.manuals
}
