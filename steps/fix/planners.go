package fix

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
)

// planner adds to the plan what fixes one diagnosis.
type planner func(b *builder, d steps.Diagnosis)

// planners maps every diagnosis code to its planner. A code missing here
// still gets its fix as a manual step, but the test over steps.Codes()
// fails until it has a planner of its own.
var planners = map[steps.Code]planner{
	steps.InsecureBaseURL:      planBaseURL,
	steps.NetworkUnreachable:   planAsSaid,
	steps.TLSUntrusted:         planAsSaid,
	steps.RegionBlocked:        planAsSaid,
	steps.NotAnthropic:         planBaseURL,
	steps.HeaderStripped:       planAsSaid,
	steps.NoKey:                planNoKey,
	steps.FederationIncomplete: planAsSaid,
	steps.ProfileBroken:        planProfile,
	steps.KeyNotLoaded:         planNotLoaded,
	steps.KeyUnresolved:        planAsSaid,
	steps.KeyWrongKind:         planWrongKind,
	steps.KeyMalformed:         planMalformed,
	steps.KeyShadowed:          planShadowed,
	steps.AuthConflict:         planAuthConflict,
	steps.FederationRejected:   planPage(URLFederation),
	steps.TokenExpired:         planAsSaid,
	steps.KeyExpired:           planNewKey,
	steps.KeyDisabled:          planPage(URLKeys),
	steps.KeyRejected:          planNewKey,
	steps.CredentialRestricted: planAsSaid,
	steps.IPNotAllowed:         planAsSaid,
	steps.WorkspaceRequired:    planPage(URLWorkspaces),
	steps.PermissionDenied:     planPage(URLWorkspaces),
	steps.OrgDisabled:          planAsSaid,
	steps.SpendLimit:           planPage(URLLimits),
	steps.Billing:              planPage(URLBilling),
	steps.RateLimited:          planAsSaid,
	steps.ServiceDegraded:      planPage(URLStatus),
	steps.ModelNotFound:        planAsSaid,
	steps.OK:                   planNothing,
	steps.Unexplained:          planReport,

	steps.ProviderOverride:    planProviderOverride,
	steps.CISecretUnavailable: planAsSaid,
}

// planAsSaid: no file edit fixes it; the diagnosis's own fix is the step.
func planAsSaid(b *builder, d steps.Diagnosis) { b.manual(d.Code, d.Fix, b.commandIn(d.Fix), "") }

// planPage: a Console (or status) page is where it is fixed.
func planPage(url string) planner {
	return func(b *builder, d steps.Diagnosis) { b.manual(d.Code, d.Fix, b.commandIn(d.Fix), url) }
}

func planNothing(*builder, steps.Diagnosis) {}

func planReport(b *builder, d steps.Diagnosis) {
	b.manual(d.Code, d.Fix, "fix401 report -o fix401-report.md", "")
}

// planBaseURL: a base URL from the environment is unset; one from a flag
// or a profile is the user's to change.
func planBaseURL(b *builder, d steps.Diagnosis) {
	if b.r.Target.BaseURLSource == "env:ANTHROPIC_BASE_URL" {
		b.unsetVar(d.Code, "ANTHROPIC_BASE_URL")
		b.manual(d.Code, "Remove ANTHROPIC_BASE_URL from where you set it (a start-up file, your IDE's settings)", "", "")
		return
	}
	b.manual(d.Code, d.Fix, "", "")
}

// planNewKey: the key is dead. A key given on stdin that works replaces it
// (saveStdinKey); otherwise a new one comes from the Console.
func planNewKey(b *builder, d steps.Diagnosis) {
	if b.stdinWorks() {
		return
	}
	b.manual(d.Code, d.Fix, "", URLKeys)
	b.manual(d.Code, "Paste the new key: fix401 tests it, then saves it in place of the old one", "fix401 fix --key-stdin", "")
}

func planNoKey(b *builder, d steps.Diagnosis) {
	if b.stdinWorks() && b.o.Dir != "" {
		return // saveStdinKey writes it to the project's .env
	}
	b.manual(d.Code, "Create an API key in the Console", "", URLKeys)
	b.manual(d.Code, "Test it, then run fix again to save it in .env", "fix401 fix --key-stdin", "")
}

// planProfile: an unsafe credentials file gets mode 600; anything else
// about a profile is the user's (ant auth login).
func planProfile(b *builder, d steps.Diagnosis) {
	p := b.r.Profile
	if p == nil || p.Broken != probe.ProfileUnsafe || p.CredentialsPath == "" {
		b.manual(d.Code, d.Fix, "", "")
		return
	}
	f := b.file(p.CredentialsPath)
	if f == nil {
		b.manual(d.Code, "Make the profile's credentials readable by you only", "chmod 600 "+steps.ShellQuote(p.CredentialsPath), "")
		return
	}
	f.mode = 0o600
	f.because(d.Code, "%s: chmod 600 (it is %#o, so the SDK refuses it)", p.CredentialsPath, p.Mode)
}

// planNotLoaded: a key in a shell file without export gets export; a key
// under a name no SDK reads is renamed; a UTF-16 .env is re-encoded (by
// encodings). The running shell still needs a new terminal.
func planNotLoaded(b *builder, d steps.Diagnosis) {
	for i := range b.r.Candidates {
		c := &b.r.Candidates[i]
		if c.Value == "" || c.Origin == probe.OriginProfile || !probe.ReadBySDK(c.Var) {
			continue
		}
		switch {
		case c.Encoding == probe.EncUTF16LE || c.Encoding == probe.EncUTF16BE:
			if f := b.file(c.Path); f != nil {
				f.reenc = true
				f.because(d.Code, "%s: save as UTF-8 (it is UTF-16, which no dotenv loader reads)", label(c))
			}
			return
		case b.dead(c):
			b.manual(d.Code, fmt.Sprintf("The key in %s (%s) is refused by the API: create a new one", c.Source, c.Hint), "", URLKeys)
			b.manual(d.Code, "Paste the new key: fix401 tests it, then saves it", "fix401 fix --key-stdin", "")
			return
		case c.Origin == probe.OriginShell && !c.Exported && !fish(c.Path):
			if f := b.file(c.Path); f != nil && !c.Foreign {
				if s, ok := f.locate(c); ok && lineStart(f, s.nameAt) && f.add(edit{start: s.nameAt, end: s.nameAt, with: "export "}) {
					f.because(d.Code, "%s:%d: export %s, so programs started from the shell see it", label(c), c.Line, c.Var)
					b.manual(d.Code, "Open a new terminal, or read the file again", "source "+shellPath(c), "")
					return
				}
			}
		case c.Origin == probe.OriginShell:
			b.manual(d.Code, "Open a new terminal, or read the file again", "source "+shellPath(c), "")
			b.manual(d.Code, "IDEs and services do not read shell files: set the key in their settings too", "", "")
			return
		}
		b.manual(d.Code, d.Fix, "", "")
		return
	}
	for i := range b.r.Candidates {
		c := &b.r.Candidates[i]
		if c.Value == "" || c.Origin == probe.OriginProfile || probe.ReadBySDK(c.Var) {
			continue
		}
		if (c.Origin == probe.OriginDotenv || c.Origin == probe.OriginShell) && !b.dead(c) {
			if b.hasVar(c.Path, probe.VarAPIKey) {
				break
			}
			if b.rename(d.Code, c, probe.VarAPIKey, "rename "+c.Var+" to "+probe.VarAPIKey+", the name the SDKs read") {
				return
			}
		}
		break
	}
	b.manual(d.Code, d.Fix, "", "")
}

// hasVar reports whether a file already assigns name.
func (b *builder) hasVar(path, name string) bool {
	for _, c := range b.r.Candidates {
		if c.Path == path && c.Var == name {
			return true
		}
	}
	return false
}

// planWrongKind: an API key in ANTHROPIC_AUTH_TOKEN moves to
// ANTHROPIC_API_KEY where it is set; any other wrong credential is taken
// away when a working key then wins, else a new key is needed.
func planWrongKind(b *builder, d steps.Diagnosis) {
	k := b.r.ActiveKey()
	if k == nil {
		b.manual(d.Code, d.Fix, "", URLKeys)
		return
	}
	if k.Var == probe.VarAuthToken && k.Kind == probe.KindAPI {
		b.moveToAPIKey(d.Code, k)
		return
	}
	if b.takeAway(d.Code, k, "not an API key") {
		return
	}
	b.manual(d.Code, d.Fix, "", URLKeys)
}

// moveToAPIKey renames every assignment of k's value to
// ANTHROPIC_AUTH_TOKEN as ANTHROPIC_API_KEY; the variable of this shell
// is the user's to move.
func (b *builder) moveToAPIKey(code steps.Code, k *probe.Candidate) {
	for i := range b.r.Candidates {
		c := &b.r.Candidates[i]
		if c.Var != probe.VarAuthToken || c.Clean != k.Clean || c.Path == "" {
			continue
		}
		if b.hasVar(c.Path, probe.VarAPIKey) {
			b.manual(code, fmt.Sprintf("%s already sets %s: comment out line %d (%s) there, keeping the key that works", label(c), probe.VarAPIKey, c.Line, probe.VarAuthToken), "", "")
			continue
		}
		if b.rename(code, c, probe.VarAPIKey, "move the API key from "+probe.VarAuthToken+" to "+probe.VarAPIKey) && c.Origin == probe.OriginShell && k.Origin == probe.OriginEnv {
			b.manual(code, "Read the fixed file again in this shell, or open a new terminal", "source "+shellPath(c), "")
		}
	}
	if k.Origin == probe.OriginEnv {
		b.unsetVar(code, probe.VarAuthToken)
		if !b.fromFiles(k) {
			b.manual(code, "Set the key as ANTHROPIC_API_KEY where you set ANTHROPIC_AUTH_TOKEN", "", "")
		}
	}
}

// fromFiles reports whether some file the plan sees sets the same value
// under the same name: the shell start-up file it came from.
func (b *builder) fromFiles(k *probe.Candidate) bool {
	for _, c := range b.r.Candidates {
		if c.Origin == probe.OriginShell && c.Var == k.Var && c.Clean == k.Clean {
			return true
		}
	}
	return false
}

// takeAway removes the credential in use (and its copies) when, without
// it, a key the API accepted wins. It reports whether it did.
func (b *builder) takeAway(code steps.Code, k *probe.Candidate, why string) bool {
	stale := func(c *probe.Candidate) bool { return c.Value != "" && c.Clean == k.Clean && !b.accepted(c) }
	if b.accepted(k) {
		return false
	}
	// Try first, commit only if a working key then wins.
	saved := b.snapshot()
	w := b.clearStale(code, stale, why)
	if w >= 0 && b.accepted(&b.r.Candidates[w]) {
		if c := &b.r.Candidates[w]; !b.works(c) {
			if c.Origin != probe.OriginDotenv || !b.setKey(code, c, c.Clean, "clean the working key that takes over") {
				b.restore(saved)
				return false
			}
		}
		if k.Origin == probe.OriginEnv {
			b.manual(code, "Open a new terminal afterwards: the fixed start-up files no longer set the old key", "", "")
		}
		return true
	}
	b.restore(saved)
	return false
}

// planShadowed: the stale key in use goes away (unset, commented out
// wherever it is set), so the working one wins.
func planShadowed(b *builder, d steps.Diagnosis) {
	k := b.r.ActiveKey()
	if k == nil {
		b.manual(d.Code, d.Fix, "", "")
		return
	}
	if k.Origin == probe.OriginDotenv {
		for i := range b.r.Candidates {
			c := &b.r.Candidates[i]
			if c.Origin == probe.OriginEnv && c.Var == k.Var && c.Value == "" {
				// Exported empty: dotenv loaders never read the file.
				b.unsetVar(d.Code, c.Var)
				for j := range b.r.Candidates {
					e := &b.r.Candidates[j]
					if e.Origin == probe.OriginShell && e.Var == k.Var && emptyValue(e) {
						b.disable(d.Code, e, "an empty export that hides the key in "+label(k))
					}
				}
				return
			}
		}
	}
	if b.takeAway(d.Code, k, "the stale key that hides the working one") {
		return
	}
	if b.stdinWorks() {
		return // saveStdinKey puts the new key in its place
	}
	b.manual(d.Code, d.Fix, "", "")
}

// planMalformed: the key's stray characters go, in the file it comes from,
// when the cleaned key is the one the API accepted.
func planMalformed(b *builder, d steps.Diagnosis) {
	k := b.r.ActiveKey()
	if k != nil && !b.r.CleanAuth.Accepted() && b.takeAway(d.Code, k, "a broken key that hides the working one") {
		return
	}
	if k == nil || !b.r.CleanAuth.Accepted() {
		if !b.stdinWorks() {
			b.manual(d.Code, d.Fix, "", URLKeys)
		}
		return
	}
	what := "remove the stray characters around the key"
	if len(k.Issues) > 0 {
		what = "clean the key (it " + k.Issues[0].Detail + ")"
	}
	switch k.Origin {
	case probe.OriginDotenv:
		b.setKey(d.Code, k, k.Clean, what)
	case probe.OriginEnv:
		var cleaned *probe.Candidate
		for i := range b.r.Candidates {
			c := &b.r.Candidates[i]
			if c.Origin == probe.OriginShell && c.Var == k.Var && c.Value == k.Value && b.setKey(d.Code, c, k.Clean, what) && cleaned == nil {
				cleaned = c
			}
		}
		if cleaned != nil {
			b.manual(d.Code, "Read the cleaned file again in this shell, or open a new terminal", "source "+shellPath(cleaned), "")
		} else {
			b.manual(d.Code, fmt.Sprintf("Set %s again where you set it, with the key alone (%s)", k.Var, k.Hint), "", "")
		}
	default:
		b.manual(d.Code, d.Fix, "", "")
	}
}

// planAuthConflict: ANTHROPIC_AUTH_TOKEN goes where it is set, unless it
// is the credential that works.
func planAuthConflict(b *builder, d steps.Diagnosis) {
	for i := range b.r.Candidates {
		c := &b.r.Candidates[i]
		if c.Var != probe.VarAuthToken {
			continue
		}
		switch c.Origin {
		case probe.OriginEnv:
			if b.accepted(c) && !b.r.Auth.Accepted() {
				b.manual(d.Code, "ANTHROPIC_AUTH_TOKEN holds the credential that works: keep it and remove ANTHROPIC_API_KEY instead", UnsetCommand(b.o.Shell, probe.VarAPIKey), "")
				continue
			}
			b.unsetVar(d.Code, c.Var)
		case probe.OriginDotenv, probe.OriginShell:
			k := b.r.ActiveKey()
			switch {
			case b.accepted(c) && k != nil && !b.accepted(k) && c.Kind == probe.KindAPI && !b.hasVar(c.Path, probe.VarAPIKey):
				// The token is the API key that works: it moves to the name
				// the key belongs under.
				b.rename(d.Code, c, probe.VarAPIKey, "move the working API key from "+probe.VarAuthToken+" to "+probe.VarAPIKey)
			case b.accepted(c):
				b.manual(d.Code, fmt.Sprintf("%s sets ANTHROPIC_AUTH_TOKEN, which works: keep one credential, and delete the other", c.Source), "", "")
			default:
				b.disable(d.Code, c, "sent beside the API key")
			}
		}
	}
}

// appKey: with a key on stdin, the report judged that key, and the
// diagnosis is about it; the app reads its own. When the app's key is
// refused and a key that works takes over once it is gone, it goes.
func (b *builder) appKey() {
	k := b.r.ActiveKey()
	if k == nil || k.Origin != probe.OriginStdin || b.stdinWorks() {
		return
	}
	w := b.winner()
	if w < 0 || b.accepted(&b.r.Candidates[w]) {
		return
	}
	b.takeAway(steps.KeyShadowed, &b.r.Candidates[w], "the stale key that hides the working one")
}

// staleCopies comments out the rejected keys that shell start-up files
// export while the key the app uses (once the plan is made) works: each
// would win again in the next terminal.
func (b *builder) staleCopies() {
	w := b.winner()
	key, ok := b.added, b.added != ""
	switch {
	case w < 0 && !ok:
		return
	case w >= 0:
		key, ok = b.written[w]
	}
	if !ok {
		if !b.accepted(&b.r.Candidates[w]) {
			return
		}
		key = b.r.Candidates[w].Clean
	}
	for i := range b.r.Candidates {
		c := &b.r.Candidates[i]
		if c.Origin == probe.OriginShell && c.Exported && probe.ReadBySDK(c.Var) && c.Clean != key && b.dead(c) {
			b.disable(StaleCopy, c, "a rejected key the next terminal would export")
		}
	}
}

// stdinWorks reports whether the key given on stdin was tested and
// accepted.
func (b *builder) stdinWorks() bool {
	k := b.r.ActiveKey()
	return k != nil && k.Origin == probe.OriginStdin && b.r.Auth.Accepted() && !probe.Malformed(k.Issues)
}

// saveStdinKey puts a working key given on stdin where the app reads its
// key: in place of the stale value that would win without it, or in the
// project's .env when nothing sets one. A key the API accepted is never
// overwritten, and a stale exported variable is left to the user.
func (b *builder) saveStdinKey() {
	if !b.stdinWorks() {
		return
	}
	key := b.r.ActiveKey().Clean
	const what = "put the new key (tested just now) in place of the old one"
	var shell *probe.Candidate
	for range len(b.r.Candidates) + 1 {
		w := b.winner()
		if w < 0 {
			break
		}
		c := &b.r.Candidates[w]
		if c.Clean == key || b.accepted(c) {
			if !b.works(c) && c.Origin == probe.OriginDotenv {
				b.setKey(SaveKey, c, c.Clean, "clean the working key that takes over")
			}
			return // a working key wins already
		}
		switch c.Origin {
		case probe.OriginDotenv:
			b.setKey(SaveKey, c, key, what)
			return
		case probe.OriginEnv:
			b.unsetVar(SaveKey, c.Var)
			for i := range b.r.Candidates {
				s := &b.r.Candidates[i]
				if s.Origin == probe.OriginShell && s.Var == c.Var && s.Clean == c.Clean && b.setKey(SaveKey, s, key, what) && shell == nil {
					shell = s
				}
			}
			continue
		default:
			b.manual(SaveKey, fmt.Sprintf("Replace the key in %s with the one you tested", c.Source), "", "")
			return
		}
	}
	if shell != nil {
		b.manual(SaveKey, "Read the updated file again in this shell, or open a new terminal", "source "+shellPath(shell), "")
		return
	}
	dir := b.projectDir()
	if dir == "" || b.o.Dir == "" {
		b.manual(SaveKey, "Save the key you tested as ANTHROPIC_API_KEY where your app reads it", "", "")
		return
	}
	path := filepath.Join(dir, ".env")
	f := b.newFile(path)
	if f == nil {
		b.manual(SaveKey, "Save the key you tested as ANTHROPIC_API_KEY in .env: fix401 cannot read it", "", "")
		return
	}
	if b.hasVar(path, probe.VarAPIKey) {
		return
	}
	if f.appendLine(probe.VarAPIKey + "=" + key + "\n") {
		b.added = key
		f.because(SaveKey, "%s: add ANTHROPIC_API_KEY with the key you tested (%s)", ".env", b.r.ActiveKey().Hint)
	}
}

// saveWorkspace writes the workspace id that --workspace-id proved into
// ANTHROPIC_CUSTOM_HEADERS in the project's .env.
func (b *builder) saveWorkspace() {
	id := b.o.WorkspaceID
	if id == "" || !b.r.Auth.Accepted() {
		return
	}
	if b.r.Auth.WorkspaceID != "" && b.r.Auth.WorkspaceID != id {
		return
	}
	header := probe.WorkspaceHeader + ": " + id
	dir := b.projectDir()
	if dir == "" {
		b.manual(SaveWorkspace, "Send the workspace id with every request", "export ANTHROPIC_CUSTOM_HEADERS="+steps.ShellQuote(header), "")
		return
	}
	path := filepath.Join(dir, ".env")
	f := b.newFile(path)
	if f == nil {
		b.manual(SaveWorkspace, "Add ANTHROPIC_CUSTOM_HEADERS to .env: fix401 cannot read it", "", "")
		return
	}
	// An existing ANTHROPIC_CUSTOM_HEADERS line gets the header added.
	for ln := 1; ln <= f.lines(); ln++ {
		l, _, _ := f.line(ln)
		i := nameIndex(l, "ANTHROPIC_CUSTOM_HEADERS")
		if i < 0 || f.commented(ln) {
			continue
		}
		c := probe.Candidate{Var: "ANTHROPIC_CUSTOM_HEADERS", Origin: probe.OriginDotenv, Line: ln, Path: path}
		s, ok := f.locate(&c)
		if !ok {
			b.manual(SaveWorkspace, fmt.Sprintf("Add %q to ANTHROPIC_CUSTOM_HEADERS on line %d of .env", header, ln), "", "")
			return
		}
		old := string(f.text[s.from:s.to])
		if strings.Contains(strings.ToLower(old), strings.ToLower(probe.WorkspaceHeader)) {
			if !strings.Contains(old, id) {
				b.manual(SaveWorkspace, fmt.Sprintf("Line %d of .env sends another workspace id: change it to %s", ln, id), "", "")
			}
			return
		}
		sep := "\\n"
		if s.quote != '"' {
			b.manual(SaveWorkspace, fmt.Sprintf("Add %q to ANTHROPIC_CUSTOM_HEADERS on line %d of .env", header, ln), "", "")
			return
		}
		if old == "" {
			sep = ""
		}
		if f.add(edit{start: s.to, end: s.to, with: sep + header}) {
			f.because(SaveWorkspace, ".env:%d: add %s to ANTHROPIC_CUSTOM_HEADERS (accepted with --workspace-id)", ln, header)
		}
		return
	}
	if f.appendLine("ANTHROPIC_CUSTOM_HEADERS=\"" + header + "\"\n") {
		f.because(SaveWorkspace, ".env: add ANTHROPIC_CUSTOM_HEADERS with %s (accepted with --workspace-id)", header)
	}
	if len(b.r.Env.CustomHeaders) > 0 {
		b.manual(SaveWorkspace, "ANTHROPIC_CUSTOM_HEADERS is set in this shell and wins over .env: add the workspace header there too", "", "")
	}
}

// emptyValue reports whether c assigns the empty string: not a value
// fix401 did not work out (a command, another variable).
func emptyValue(c *probe.Candidate) bool {
	if c.Value != "" {
		return false
	}
	for _, is := range c.Issues {
		if is.Code == probe.IssueUnresolved {
			return false
		}
	}
	return true
}

// shellPath names c's file for a command: ~/.zshrc when it is under the
// home directory and needs no quotes, else the quoted absolute path.
func shellPath(c *probe.Candidate) string {
	if l := label(c); strings.HasPrefix(l, "~/") && steps.ShellQuote(l[2:]) == l[2:] {
		return l
	}
	return steps.ShellQuote(c.Path)
}

// commands are the programs a diagnosis's fix may name in backquotes that
// a manual step gives as its command.
var commands = []string{"unset", "ant", "claude", "chmod", "source", "fix401", "git", "gh"}

// commandIn returns the first command the fix names in backquotes
// (`ant auth login`), or "". An unset it names counts as done by the
// user: the plan's other steps assume it.
func (b *builder) commandIn(fix string) string {
	for rest := fix; ; {
		i := strings.IndexByte(rest, '`')
		if i < 0 {
			return ""
		}
		j := strings.IndexByte(rest[i+1:], '`')
		if j < 0 {
			return ""
		}
		cmd := rest[i+1 : i+1+j]
		rest = rest[i+j+2:]
		name, args, _ := strings.Cut(cmd, " ")
		if !slices.Contains(commands, name) || strings.ContainsAny(cmd, "…<>") {
			continue
		}
		if name == "unset" {
			for _, v := range strings.Fields(args) {
				b.unset[v] = true
			}
		}
		return cmd
	}
}

// lineStart reports whether only blanks come before offset at on its line.
func lineStart(f *fileEdit, at int) bool {
	for i := at - 1; i >= 0 && f.text[i] != '\n'; i-- {
		if f.text[i] != ' ' && f.text[i] != '\t' {
			return false
		}
	}
	return true
}

// planProviderOverride: a CLAUDE_CODE_USE_* flag sends Claude Code to a
// cloud provider. Each shell start-up or .env line that turns it on is
// commented out; the running shell's variable and a settings file's env
// entry (JSON has no comments) are the user's to change, named exactly.
func planProviderOverride(b *builder, d steps.Diagnosis) {
	p := b.r.Provider
	if p == nil || len(p.On) == 0 {
		planAsSaid(b, d)
		return
	}
	done := false
	for _, fs := range p.TurnedOn() {
		switch fs.Origin {
		case probe.OriginEnv:
			b.unsetVar(d.Code, fs.Var)
			done = true
		case probe.OriginShell, probe.OriginDotenv:
			f := b.file(fs.Path)
			if f == nil || fs.Line <= 0 || !(f.commented(fs.Line) || f.commentOut(fs.Line, fs.Line, b.stamp, fs.Origin == probe.OriginShell && !fish(fs.Path))) {
				b.manual(d.Code, fmt.Sprintf("Delete %s (%s=%s) by hand: fix401 could not edit it", fs.Source, fs.Var, fs.Value), "", "")
			} else {
				f.because(d.Code, "%s: comment out %s, which sends Claude Code to %s", fs.Source, fs.Var, fs.Provider.Name)
			}
			done = true
		case probe.OriginClaude:
			b.manual(d.Code, fmt.Sprintf("Remove %s from the env block of %s (%s settings)", fs.Var, fs.Source, fs.Scope), "", "")
			done = true
		}
	}
	if !done {
		planAsSaid(b, d)
	}
}
