package steps

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/fix401/fix401/probe"
)

// Rules for the refusals the API added or sharpened in 2026 (API-FACTS.md,
// Errors): each is matched on the answer's class, which probe decides once
// from status, error type and message.

// firstOfClass returns the first answer to a request made with the
// credential in use whose class is one of cs, or nil.
func firstOfClass(r *probe.Report, cs ...probe.Class) *probe.Answer {
	for _, a := range []*probe.Answer{r.Auth, r.Quota, r.Model} {
		for _, c := range cs {
			if a.Class() == c {
				return a
			}
		}
	}
	return nil
}

func ruleRegionBlocked(r *probe.Report) (Diagnosis, bool) {
	var a *probe.Answer
	for _, x := range []*probe.Answer{r.Auth, r.Control, r.Quota} {
		if x.Class() == probe.ClassRegionBlocked {
			a = x
			break
		}
	}
	if a == nil {
		return Diagnosis{}, false
	}
	d := Diagnosis{Code: RegionBlocked,
		Title: "Anthropic's edge refused this network location: 403 \"Request not allowed\", before any key was judged"}
	where := ""
	if dc := dataCentre(a.Ray); dc != "" {
		where = fmt.Sprintf(" The answer came from Cloudflare's %s data centre (cf-ray %s).", dc, a.Ray)
	}
	d.Fix = "The API serves only supported countries and regions; if you are in one, a VPN, proxy or cloud region elsewhere may be why." +
		where + " The same answer has been seen for keys of an archived workspace: check the key's workspace in the Console too."
	return d, true
}

// dataCentre is the suffix of a cf-ray id: "8f1c2a3b4c5d6e7f-HKG" → "HKG".
func dataCentre(ray string) string {
	i := strings.LastIndexByte(ray, '-')
	if i < 0 || i == len(ray)-1 || len(ray)-i > 5 {
		return ""
	}
	return ray[i+1:]
}

func ruleUnresolved(r *probe.Report) (Diagnosis, bool) {
	k := r.ActiveKey()
	if k == nil {
		return Diagnosis{}, false
	}
	for _, is := range k.Issues {
		if is.Code != probe.IssueReference {
			continue
		}
		d := Diagnosis{Code: KeyUnresolved,
			Title: fmt.Sprintf("The value of %s from %s %s: the API received that text as the key", k.Var, k.Source, is.Detail)}
		v := strings.TrimSpace(k.Value)
		switch {
		case strings.HasPrefix(v, "op://"):
			d.Fix = "Run your program through 1Password so the reference becomes the key: `op run --env-file=.env -- <your command>`, or `op inject`."
		case strings.HasPrefix(v, "{{") || strings.HasPrefix(v, "${{"):
			d.Fix = fmt.Sprintf("The template in %s was copied as it is. Render it (CI secrets, Helm, your deploy tool) or put the key there.", placeOf(k))
		case strings.HasPrefix(v, "%"):
			d.Fix = fmt.Sprintf("Nothing expands %%VAR%% here. Put the key itself in %s, or set it with `setx ANTHROPIC_API_KEY …` and open a new terminal.", placeOf(k))
		default:
			d.Fix = fmt.Sprintf("Nothing expanded it: dotenv files and IDE settings do not run the shell. Put the key itself in %s, or export it from a shell that expands the reference.", placeOf(k))
		}
		return d, true
	}
	return Diagnosis{}, false
}

func ruleRestricted(r *probe.Report) (Diagnosis, bool) {
	a := firstOfClass(r, probe.ClassCodeOnly, probe.ClassOAuthOff)
	if a == nil {
		return Diagnosis{}, false
	}
	k := r.ActiveKey()
	d := Diagnosis{Code: CredentialRestricted}
	if a.Class() == probe.ClassCodeOnly {
		d.Title = fmt.Sprintf("%s is a Claude subscription token: the API takes it only from Claude Code (%d %q)", hintOf(k), a.Status, a.Message)
		d.Fix = "Your own code needs an API key: create one in the Console (API usage is billed to an organization, not to a Pro or Max plan) and use it instead of the token."
		return d, true
	}
	d.Title = fmt.Sprintf("Your organization has turned off sign-in with a Claude account (OAuth): 403 %q", a.Message)
	d.Fix = "Ask an organization admin to allow it, or use an API key from the Console."
	return d, true
}

func ruleIPNotAllowed(r *probe.Report) (Diagnosis, bool) {
	a := firstOfClass(r, probe.ClassIPNotAllowed)
	if a == nil {
		return Diagnosis{}, false
	}
	d := Diagnosis{Code: IPNotAllowed,
		Title: fmt.Sprintf("The key is valid, but this network's public IP address is not on the organization's allowlist: 403 %q", a.Message),
		Fix: "Requests leave through a public address after your VPN, NAT or proxy; that address must be on the list. " +
			"Ask an organization admin to add it (Console → Settings), or run from a network that is on it."}
	if len(r.Env.Proxies) > 0 {
		d.Fix += fmt.Sprintf(" Here traffic goes through %s=%s, so the proxy's address is the one the API sees.", r.Env.Proxies[0].Name, r.Env.Proxies[0].Value)
	}
	if org := orgOf(r); org != "" {
		d.Fix += " Organization: " + org + "."
	}
	return d, true
}

func ruleWorkspace(r *probe.Report) (Diagnosis, bool) {
	a := firstOfClass(r, probe.ClassWorkspace)
	if a == nil {
		return Diagnosis{}, false
	}
	msg := strings.ToLower(a.Message)
	d := Diagnosis{Code: WorkspaceRequired}
	how := "Send `anthropic-workspace-id: wrkspc_…` with every request: in the SDKs, ANTHROPIC_CUSTOM_HEADERS=\"anthropic-workspace-id: wrkspc_…\"; test it here with --workspace-id wrkspc_…. " +
		"The id is in the Console under Settings → Workspaces."
	switch {
	case strings.Contains(msg, "is required"):
		d.Title = "This key is tied to a person or service account, not one workspace: the API needs to know which workspace to use"
		d.Fix = how
	case strings.Contains(msg, "valid workspace id"):
		d.Title = fmt.Sprintf("The anthropic-workspace-id sent is not a workspace id: %q", a.Message)
		d.Fix = "Copy the id again from the Console (Settings → Workspaces): it starts with wrkspc_."
	default:
		d.Title = fmt.Sprintf("The key cannot act in the workspace named: %d %q", a.Status, a.Message)
		d.Fix = "Check that the workspace exists and that the key's owner is a member of it, or send another workspace id."
	}
	return d, true
}

var regainOn = regexp.MustCompile(`(?i)regain access on ([^.]+?)(?:\.|$)`)

func ruleSpendLimit(r *probe.Report) (Diagnosis, bool) {
	a := firstOfClass(r, probe.ClassSpendLimit)
	if a == nil {
		return Diagnosis{}, false
	}
	d := Diagnosis{Code: SpendLimit,
		Title: "The key works, but your organization's own spend limit is reached"}
	if m := regainOn.FindStringSubmatch(a.Message); m != nil {
		d.Title += ": access returns on " + strings.TrimSpace(m[1])
	}
	d.Fix = "This is a limit your organization set, not a billing fault and not the key. An admin can raise it in the Console under Settings → Limits; otherwise wait for the date."
	if org := orgOf(r); org != "" {
		d.Fix += " Organization: " + org + "."
	}
	return d, true
}

func hintOf(k *probe.Candidate) string {
	if k == nil {
		return "The credential"
	}
	return "The credential " + k.Hint
}
