package probe

// The provider checklists: for the provider a flag sends Claude Code to,
// what it needs, judged from variables and files only, each list ending
// in the one command that proves the identity there (named, not run).

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
)

// CheckProviderFlag is where Claude Code sends its requests: the
// CLAUDE_CODE_USE_* flags and where they are set. The checklist of the
// provider in use follows, as provider.<id>.<item> (provider.bedrock.region,
// provider.vertex.adc, …).
const CheckProviderFlag = "provider.flag"

// MaxSSOFiles is how many files of ~/.aws/sso/cache are read.
const MaxSSOFiles = 50

// SSOLogin is one AWS SSO token in ~/.aws/sso/cache; its token is never
// kept.
type SSOLogin struct {
	Path      string
	StartURL  string
	ExpiresAt time.Time
}

// ADC states.
const (
	ADCOK         = "ok"
	ADCMissing    = "missing"
	ADCUnreadable = "unreadable"
	ADCNotJSON    = "not_json"
	ADCOddType    = "unknown_type"
)

// adcTypes are the credential types Google's client libraries load.
var adcTypes = []string{"authorized_user", "service_account", "external_account", "impersonated_service_account", "external_account_authorized_user"}

// ADCFile is Google's Application Default Credentials file; its contents
// are never shown, only whether it is there and of which type.
type ADCFile struct {
	Path   string
	Shown  string // the path as shown: ~/.config/gcloud/…
	From   string // GOOGLE_APPLICATION_CREDENTIALS, CLOUDSDK_CONFIG or "default"
	Where  string // where GOOGLE_APPLICATION_CREDENTIALS was set
	State  string
	Type   string
	Reason string // for ADCUnreadable: why
}

// readSSOCache reads the expiry of each AWS SSO login token in the cache.
func readSSOCache(d *discovery, keep *secrets) []SSOLogin {
	if d.home == "" {
		return nil
	}
	dir := filepath.Join(d.home, ".aws", "sso", "cache")
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range ents {
		if e.Type().IsRegular() && filepath.Ext(e.Name()) == ".json" {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var out []SSOLogin
	for _, n := range names[:min(len(names), MaxSSOFiles)] {
		path := filepath.Join(dir, n)
		data, ok := d.readFile(path, false)
		if !ok {
			continue
		}
		var c struct {
			StartURL     string `json:"startUrl"`
			AccessToken  string `json:"accessToken"`
			RefreshToken string `json:"refreshToken"`
			ClientSecret string `json:"clientSecret"`
			ExpiresAt    string `json:"expiresAt"`
		}
		if json.Unmarshal(data, &c) != nil {
			continue
		}
		keep.add(c.AccessToken, c.RefreshToken, c.ClientSecret)
		if c.AccessToken == "" && c.StartURL == "" {
			continue // a client registration, not a login
		}
		t, ok := parseAWSTime(c.ExpiresAt)
		if !ok {
			continue
		}
		out = append(out, SSOLogin{Path: path, StartURL: clean(c.StartURL, 100), ExpiresAt: t})
	}
	return out
}

// parseAWSTime reads the CLI's expiresAt: RFC 3339, or the older
// "2019-11-14T04:05:45UTC".
func parseAWSTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02T15:04:05UTC", s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// readADC finds and reads Google's Application Default Credentials file:
// GOOGLE_APPLICATION_CREDENTIALS, else $CLOUDSDK_CONFIG or
// ~/.config/gcloud (on Windows %APPDATA%\gcloud, not read here).
func readADC(d *discovery, r *Routing, keep *secrets) *ADCFile {
	a := &ADCFile{From: "default"}
	switch s, ok := r.lookup(VarGoogleCreds); {
	case ok && s.Known && strings.TrimSpace(s.value) != "":
		a.From, a.Where, a.Path = VarGoogleCreds, s.Where(), plainPath(d.env, strings.TrimSpace(s.value))
	case r.has(VarCloudSDKConfig):
		c, _ := r.lookup(VarCloudSDKConfig)
		a.From, a.Path = VarCloudSDKConfig, filepath.Join(plainPath(d.env, c.value), "application_default_credentials.json")
	case d.home != "":
		a.Path = filepath.Join(d.home, ".config", "gcloud", "application_default_credentials.json")
	default:
		return nil
	}
	a.Shown = d.label(a.Path, 0, true)
	data, err := ReadRegular(a.Path, MaxKeyFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		a.State = ADCMissing
		return a
	case err != nil:
		a.State, a.Reason = ADCUnreadable, readError(err)
		return a
	}
	var c struct {
		Type         string `json:"type"`
		PrivateKey   string `json:"private_key"`
		PrivateKeyID string `json:"private_key_id"`
		ClientSecret string `json:"client_secret"`
		RefreshToken string `json:"refresh_token"`
	}
	if json.Unmarshal(data, &c) != nil {
		a.State = ADCNotJSON
		return a
	}
	keep.add(c.PrivateKey, c.PrivateKeyID, c.ClientSecret, c.RefreshToken)
	a.Type = clean(c.Type, 40)
	a.State = ADCOK
	if !slices.Contains(adcTypes, c.Type) {
		a.State = ADCOddType
	}
	return a
}

// providerChecks are the provider flag and the checklist of the provider
// Claude Code goes to; none when no flag is set anywhere. An SDK ignores
// the flags: for it there is only the flag, as a warning.
func (r *Report) providerChecks() []Result {
	p := r.Provider
	if p == nil {
		return nil
	}
	out := []Result{r.checkProviderFlag()}
	a := p.Lead()
	if !p.ClaudeCode || a == nil {
		return out
	}
	id := "provider." + a.Provider.ID
	switch a.Provider.ID {
	case "bedrock":
		out = append(out, r.awsChecks(id, true)...)
	case "anthropic_aws":
		out = append(out, p.need(id+".workspace", VarAWSWorkspaceID, "the workspace its requests are billed to"))
		out = append(out, r.awsChecks(id, false)...)
	case "vertex":
		out = append(out,
			p.need(id+".project", VarVertexProject, "the Google Cloud project to call Vertex AI in"),
			p.need(id+".region", VarVertexRegion, "the region to call, such as us-east5 or global"),
			p.checkADC(id+".adc"),
			p.identity(id, a.Provider.Command, "the Google account Claude Code calls Vertex AI as",
				"It prints a token: run it to see that it works, and paste the token nowhere."))
	case "foundry":
		out = append(out, p.checkFoundryResource(id+".resource"), p.checkFoundryCreds(id+".credentials"))
		extra := ""
		if p.has(VarFoundryAPIKey) {
			extra = "It shows your Azure login; the API key in " + VarFoundryAPIKey + " is judged only by a request to the resource."
		}
		out = append(out, p.identity(id, a.Provider.Command, "the Azure account Claude Code signs in as", extra))
	}
	return out
}

// FlagOrigin says which flag and where Claude Code gets it:
// "CLAUDE_CODE_USE_BEDROCK, set in ~/.zshrc:12".
func (p *Routing) FlagOrigin(a *FlagSetting) string {
	switch a.Origin {
	case OriginEnv:
		s := a.Var + ", set in the environment"
		if lines := p.ShellLines(a.Var); len(lines) > 0 {
			s += " by " + strings.Join(lines, " and ")
		}
		return s
	case OriginShell:
		return a.Var + ", exported in " + a.Source + ": every new terminal gets it"
	case OriginDotenv:
		return a.Var + ", set in " + a.Source + ", which the native Claude Code loads"
	}
	return a.Var + ", set in " + a.Where()
}

// flagWords names one place a flag is set: "CLAUDE_CODE_USE_BEDROCK=1 in
// ~/.zshrc:12".
func flagWords(f *FlagSetting) string {
	v := f.Var
	if f.State != FlagUnknown {
		v += "=" + f.Value
	}
	return v + " in " + f.Where()
}

func (r *Report) checkProviderFlag() Result {
	p := r.Provider
	res := Result{ID: CheckProviderFlag}
	var places []string
	for i := range p.Flags {
		f := &p.Flags[i]
		w := flagWords(f) + " (" + string(f.State)
		if s := describeSeen(f.Seen); s != "" {
			w += "; " + s
		}
		places = append(places, w+")")
	}
	res.Detail = "Set in: " + strings.Join(places, ", ") + "."
	a := p.Lead()
	if a != nil {
		where := flagWords(a)
		if len(p.On) > 1 {
			var also []string
			for _, o := range p.On {
				if o != a {
					also = append(also, o.Var)
				}
			}
			verb := "is"
			if len(also) > 1 {
				verb = "are"
			}
			if first := p.Active(); first == a {
				res.Detail += fmt.Sprintf(" %s %s on too; Claude Code is reported to take %s first.",
					strings.Join(also, ", "), verb, a.Provider.Name)
			} else {
				res.Detail += fmt.Sprintf(" %s %s on too; by third-party reports %s may be taken first, which fix401 cannot check.",
					strings.Join(also, ", "), verb, first.Var)
			}
		}
		switch {
		case a.Provider.Guess:
			res.Status = Warn
			res.Title = fmt.Sprintf("Claude Code may go to %s: %s (a flag known only from third parties)", a.Provider.Name, where)
		case p.ClaudeCode:
			res.Status = Fail
			res.Title = fmt.Sprintf("Claude Code is sending your requests to %s (%s); your Anthropic key is not used", a.Provider.Name, p.FlagOrigin(a))
		default:
			res.Status = Warn
			res.Title = fmt.Sprintf("%s: Claude Code would go to %s; the SDK ignores the flag", where, a.Provider.Name)
		}
		return res
	}
	for i := range p.Flags {
		f := &p.Flags[i]
		if f.Seen == SeenOverridden {
			continue
		}
		switch {
		case f.State == FlagUnclear:
			res.Status = Warn
			res.Title = flagWords(f) + ": Claude Code reads it as off (only 1, true, yes or on turn it on), other tools may read it as on"
			res.Fix = "Write 1 to turn it on, or remove it."
		case f.State == FlagUnknown:
			res.Status = Warn
			res.Title = f.Var + " is set by a command or another variable in " + f.Where() + ": fix401 cannot tell whether it is on"
		case f.Seen == SeenNot && f.State == FlagOn:
			res.Status = Warn
			res.Title = flagWords(f) + " is not exported: Claude Code never gets it"
			res.Fix = fmt.Sprintf("To send Claude Code to %s, write `export %s=1`; if you did not mean to, delete the line.", f.Provider.Name, f.Var)
		default:
			continue
		}
		return res
	}
	res.Status = Pass
	res.Title = "Claude Code goes to the Anthropic API: no provider flag is on"
	return res
}

// setting names where v came from: "set (from ~/.zshrc:3)". Values are
// never shown.
func (p *Routing) setting(v string) string {
	s, _ := p.lookup(v)
	from := "from " + s.Where()
	if s.Seen == SeenNewTerminal {
		from += ", a new terminal only"
	}
	return "set (" + from + ")"
}

// need is a variable the provider cannot go without.
func (p *Routing) need(id, v, what string) Result {
	if p.has(v) {
		return Result{ID: id, Status: Pass, Title: v + " is " + p.setting(v)}
	}
	return Result{ID: id, Status: Fail, Title: v + " is not set: Claude Code needs " + what,
		Fix: "Set " + v + " in the env block of ~/.claude/settings.json, or export it in your shell start-up file."}
}

// identity is the last item of a checklist: the command that proves it.
func (p *Routing) identity(id, cmd, what, extra string) Result {
	d := "fix401 runs no other program; this one shows " + what + "."
	if extra != "" {
		d += " " + extra
	}
	who := "AWS"
	switch cmd {
	case CmdGoogleIdentity:
		who = "Google"
	case CmdAzureIdentity:
		who = "Azure"
	}
	return Result{ID: id + ".identity", Status: Skip, Title: "Prove your " + who + " identity: run `" + cmd + "`", Detail: d}
}

// awsChecks are the AWS items of Bedrock and Claude Platform on AWS:
// region, credentials, an SSO login, the proving command.
func (r *Report) awsChecks(id string, bedrock bool) []Result {
	p := r.Provider
	var out []Result
	switch {
	case p.has(VarAWSRegion):
		out = append(out, Result{ID: id + ".region", Status: Pass, Title: VarAWSRegion + " is " + p.setting(VarAWSRegion)})
	case p.has(VarAWSDefaultRegion):
		out = append(out, Result{ID: id + ".region", Status: Warn,
			Title:  VarAWSRegion + " is not set, only " + VarAWSDefaultRegion,
			Detail: "Claude Code is reported to read the region from AWS_REGION only, not from AWS_DEFAULT_REGION or ~/.aws/config.",
			Fix:    "Set AWS_REGION too, to the same region."})
	default:
		out = append(out, Result{ID: id + ".region", Status: Fail, Title: VarAWSRegion + " is not set",
			Detail: "Claude Code is reported not to take the region from ~/.aws/config: it needs AWS_REGION.",
			Fix:    "Set AWS_REGION (such as us-east-1) in the env block of ~/.claude/settings.json, or export it in your shell start-up file."})
	}
	creds, static := p.checkAWSCreds(id+".credentials", bedrock)
	out = append(out, creds)
	if sso, ok := r.checkSSO(id+".sso", static); ok {
		out = append(out, sso)
	}
	extra := ""
	if s, ok := p.lookup(VarAWSProfile); ok && !static && s.Origin != OriginEnv {
		extra = "Claude Code gets AWS_PROFILE from " + s.Where() + ": pass the same profile with --profile."
	}
	if bedrock && p.has(VarBedrockToken) {
		extra = "It proves your AWS login, not the Bedrock API key in " + VarBedrockToken + "."
	}
	return append(out, p.identity(id, CmdAWSIdentity, "the AWS account and role Claude Code signs its requests as", extra))
}

// checkAWSCreds judges which AWS credentials Claude Code gets; static
// reports whether static keys are what it uses.
func (p *Routing) checkAWSCreds(id string, bedrock bool) (res Result, static bool) {
	res = Result{ID: id}
	key, secret, token := p.has(VarAWSAccessKey), p.has(VarAWSSecretKey), p.has(VarAWSSessionToken)
	from := func(v string) string { s, _ := p.lookup(v); return s.Where() }
	switch {
	case bedrock && p.flagOn(VarSkipBedrockAuth):
		res.Status, res.Title = Pass, VarSkipBedrockAuth+" is on: Claude Code sends no AWS credentials (a gateway signs its requests)"
		return res, false
	case bedrock && p.has(VarBedrockToken):
		res.Status = Pass
		res.Title = "Claude Code sends the Bedrock API key in " + VarBedrockToken + " (from " + from(VarBedrockToken) + ")"
		res.Detail = "It is reported to take the place of your other AWS credentials, with no fallback when it is refused."
		return res, false
	case token && !key && !secret:
		res.Status, res.Title = Fail, VarAWSSessionToken+" (from "+from(VarAWSSessionToken)+") is set without "+VarAWSAccessKey+" and "+VarAWSSecretKey
		res.Detail = "A session token only works with the key pair it was issued with."
		res.Fix = "Set all three from the same session, or unset " + VarAWSSessionToken + "."
		return res, false
	case key != secret:
		have, miss := VarAWSAccessKey, VarAWSSecretKey
		if secret {
			have, miss = miss, have
		}
		res.Status, res.Title = Fail, have+" (from "+from(have)+") is set without "+miss
		res.Fix = "Set both keys of the pair, or unset " + have + " to use a profile."
		return res, false
	case key && secret:
		res.Status = Pass
		res.Title = "AWS keys from " + from(VarAWSAccessKey)
		if token {
			res.Title += ", with a session token from " + from(VarAWSSessionToken)
		}
		var mixed []string
		if w := from(VarAWSSecretKey); w != from(VarAWSAccessKey) {
			mixed = append(mixed, VarAWSSecretKey+" from "+w)
		}
		if token && from(VarAWSSessionToken) != from(VarAWSAccessKey) {
			mixed = append(mixed, VarAWSSessionToken+" from "+from(VarAWSSessionToken))
		}
		if len(mixed) > 0 {
			res.Status = Warn
			res.Title = VarAWSAccessKey + " from " + from(VarAWSAccessKey) + " is mixed with " + strings.Join(mixed, " and ")
			res.Detail = "Parts of two sessions make AWS refuse the request (\"The security token included in the request is invalid\")."
			res.Fix = "Take all three from the same session, in one place."
		}
		if p.has(VarAWSProfile) {
			res.Status = Warn
			res.Title = "Static AWS keys (from " + from(VarAWSAccessKey) + ") beat AWS_PROFILE (from " + from(VarAWSProfile) + "): the profile is not used"
			res.Detail = "AWS reads keys in the environment before any profile; stale keys there are the usual cause of \"The security token included in the request is invalid\"."
			res.Fix = "To use the profile, unset " + VarAWSAccessKey + ", " + VarAWSSecretKey + " and " + VarAWSSessionToken + "; else unset " + VarAWSProfile + "."
		}
		return res, true
	case p.has(VarAWSProfile):
		res.Status, res.Title = Pass, "AWS profile "+p.setting(VarAWSProfile)
		return res, false
	}
	res.Status = Warn
	res.Title = "No AWS credentials in Claude Code's environment: AWS's default chain decides (~/.aws/credentials, SSO, an instance role)"
	res.Fix = "Set AWS_PROFILE to the profile you log in with, then prove it with `" + CmdAWSIdentity + "`."
	return res, false
}

// flagOn reports whether Claude Code gets v as on.
func (p *Routing) flagOn(v string) bool {
	s, ok := p.lookup(v)
	return ok && s.Known && ReadFlag(s.value) == FlagOn
}

// checkSSO judges the AWS SSO logins in the cache, when static keys do
// not make them moot.
func (r *Report) checkSSO(id string, static bool) (Result, bool) {
	p := r.Provider
	if len(p.sso) == 0 || static || p.has(VarBedrockToken) || p.flagOn(VarSkipBedrockAuth) {
		return Result{}, false
	}
	latest := p.sso[0]
	for _, s := range p.sso[1:] {
		if s.ExpiresAt.After(latest.ExpiresAt) {
			latest = s
		}
	}
	now := r.StartedAt
	if latest.ExpiresAt.After(now) {
		return Result{ID: id, Status: Pass, Title: fmt.Sprintf("AWS SSO login valid until %s", latest.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC"))}, true
	}
	cmd := "aws sso login"
	if p.has(VarAWSProfile) {
		cmd += " --profile <the profile in AWS_PROFILE>"
	}
	res := Result{ID: id, Status: Warn,
		Title: fmt.Sprintf("The AWS SSO login expired %s ago (%s)", now.Sub(latest.ExpiresAt).Round(time.Minute), latest.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")),
		Fix:   "Run `" + cmd + "` if your profile signs in with SSO."}
	if latest.StartURL != "" {
		res.Detail = "Portal: " + latest.StartURL + "."
	}
	return res, true
}

// checkADC judges Google's Application Default Credentials file.
func (p *Routing) checkADC(id string) Result {
	res := Result{ID: id}
	if p.flagOn(VarSkipVertexAuth) {
		res.Status, res.Title = Pass, VarSkipVertexAuth+" is on: Claude Code sends no Google credentials (a gateway signs its requests)"
		return res
	}
	a := p.adc
	if a == nil {
		res.Status, res.Title = Warn, "No home directory: fix401 could not look for Application Default Credentials"
		return res
	}
	named := a.Shown
	if a.From == VarGoogleCreds {
		named = VarGoogleCreds + " (from " + a.Where + ") names " + a.Shown + ", which"
	} else {
		named = "The ADC file " + a.Shown
	}
	switch a.State {
	case ADCOK:
		res.Status, res.Title = Pass, fmt.Sprintf("Application Default Credentials: %s (%s)", a.Shown, a.Type)
	case ADCMissing:
		if a.From == VarGoogleCreds {
			res.Status, res.Title = Fail, named+" does not exist"
			res.Fix = "Point " + VarGoogleCreds + " at your credentials file, or unset it and run `gcloud auth application-default login`."
		} else {
			res.Status, res.Title = Warn, "No Application Default Credentials file ("+a.Shown+")"
			res.Detail = "Off Google Cloud, Claude Code needs one to call Vertex AI."
			res.Fix = "Run `gcloud auth application-default login`."
		}
	case ADCUnreadable:
		res.Status, res.Title = Fail, fmt.Sprintf("%s cannot be read: %s", strings.TrimSuffix(named, ", which"), a.Reason)
		res.Fix = "Make it a readable file, or run `gcloud auth application-default login` to write it again."
	case ADCNotJSON:
		res.Status, res.Title = Fail, strings.TrimSuffix(named, ", which")+" is not a JSON credentials file"
		res.Fix = "Run `gcloud auth application-default login` to write it again."
	default:
		res.Status = Fail
		res.Title = fmt.Sprintf("%s is of type %q, which Google's libraries do not load", strings.TrimSuffix(named, ", which"), a.Type)
		res.Fix = "Run `gcloud auth application-default login` to write it again."
	}
	return res
}

// checkFoundryResource judges where Foundry requests go.
func (p *Routing) checkFoundryResource(id string) Result {
	res := Result{ID: id}
	if p.has(VarFoundryBaseURL) {
		s, _ := p.lookup(VarFoundryBaseURL)
		u := strings.TrimSpace(s.value)
		if i := strings.IndexAny(u, "?#"); i >= 0 {
			u = u[:i]
		}
		u = strings.TrimRight(u, "/")
		shown := p.shownURL(VarFoundryBaseURL)
		switch {
		case !s.Known:
			res.Status, res.Title = Warn, VarFoundryBaseURL+" is set by a command in "+s.Where()+": fix401 cannot check it"
		case !strings.HasSuffix(u, "/anthropic"):
			res.Status, res.Title = Fail, VarFoundryBaseURL+" ("+shown+") does not end in /anthropic"
			res.Detail = "Without it the requests miss the Anthropic endpoint and get a 404."
			res.Fix = "Set it to https://<resource>.services.ai.azure.com/anthropic, or set " + VarFoundryResource + " instead."
		case !strings.HasPrefix(strings.ToLower(u), "https://"):
			res.Status, res.Title = Fail, VarFoundryBaseURL+" ("+shown+") is not https"
			res.Fix = "Use the https:// address of your Foundry resource."
		default:
			res.Status, res.Title = Pass, VarFoundryBaseURL+" is "+shown+" (from "+s.Where()+")"
		}
		return res
	}
	if p.has(VarFoundryResource) {
		res.Status, res.Title = Pass, VarFoundryResource+" is "+p.setting(VarFoundryResource)
		return res
	}
	res.Status, res.Title = Fail, "Neither "+VarFoundryResource+" nor "+VarFoundryBaseURL+" is set: Claude Code does not know which Foundry resource to call"
	res.Fix = "Set " + VarFoundryResource + " to your resource's name."
	return res
}

// checkFoundryCreds says how Claude Code signs in to Foundry.
func (p *Routing) checkFoundryCreds(id string) Result {
	switch {
	case p.flagOn(VarSkipFoundryAuth):
		return Result{ID: id, Status: Pass, Title: VarSkipFoundryAuth + " is on: Claude Code sends no Azure credentials (a gateway signs its requests)"}
	case p.has(VarFoundryAPIKey):
		s, _ := p.lookup(VarFoundryAPIKey)
		return Result{ID: id, Status: Pass, Title: VarFoundryAPIKey + " is set (from " + s.Where() + ")"}
	}
	return Result{ID: id, Status: Pass, Title: "No " + VarFoundryAPIKey + ": Claude Code signs in with your Azure identity (az login, a managed identity)"}
}
