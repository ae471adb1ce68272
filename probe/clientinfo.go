package probe

import (
	"strconv"

	"github.com/fix401/fix401/probe/creds"
)

// ClientInfo is the client whose requests a run reproduces: a row of the
// client table and where fix401 learnt it.
type ClientInfo struct {
	creds.Client
	// SDK is the project's SDK entry that named the client; empty for --for
	// without a matching SDK in the project, and when nothing named one.
	SDK SDK
	// From says how the client was chosen: "project" (an SDK in --dir),
	// "flag" (--for), or "assumed" (nothing named one: curl-style, and the
	// key is also sent as the current SDKs send it).
	From string
}

// How a ClientInfo was chosen.
const (
	ClientFromProject = "project"
	ClientFromFlag    = "flag"
	ClientAssumed     = "assumed"
)

// Where returns the SDK's file and line ("go.mod:5"), or "".
func (ci ClientInfo) Where() string {
	if ci.SDK.File == "" {
		return ""
	}
	if ci.SDK.Line > 0 {
		return ci.SDK.File + ":" + strconv.Itoa(ci.SDK.Line)
	}
	return ci.SDK.File
}

// Label is the client in a few words with the SDK as the project names it:
// "Go SDK v2 (anthropic-sdk-go v2.15.0, go.mod:5)".
func (ci ClientInfo) Label() string {
	if ci.SDK.Name == "" {
		return ci.Name
	}
	s := ci.Name + " (" + ci.SDK.Name
	if ci.SDK.Version != "" {
		s += " " + ci.SDK.Version
	}
	if w := ci.Where(); w != "" {
		s += ", " + w
	}
	return s + ")"
}

// ResolveClient picks the client from --for (env.For) and the SDKs the
// project names (sdks, from FindSDKs): with "auto" or nothing, the first
// SDK in the client table, else curl-style (assumed); with a client id,
// that client at the major line the project uses, else its current line.
func ResolveClient(forID string, sdks []SDK) ClientInfo {
	match := func(id string) (ClientInfo, bool) {
		var found ClientInfo
		ok := false
		for _, s := range sdks {
			c, yes := creds.ForSDK(s.Ecosystem, s.Name, s.Version)
			if !yes || (id != "" && c.ID != id) {
				continue
			}
			// The first SDK named decides the ecosystem; within it, a lock
			// file's version (what is installed) beats the manifest's range.
			if !ok || (s.Ecosystem == found.SDK.Ecosystem && isLockFile(s.File) && !isLockFile(found.SDK.File)) {
				found, ok = ClientInfo{Client: c, SDK: s, From: ClientFromProject}, true
			}
		}
		return found, ok
	}
	if forID == "" || forID == "auto" {
		if ci, ok := match(""); ok {
			return ci
		}
		return assumed()
	}
	if ci, ok := match(forID); ok {
		ci.From = ClientFromFlag
		return ci
	}
	if c, ok := creds.Lookup(forID, ""); ok {
		return ClientInfo{Client: c, From: ClientFromFlag}
	}
	return assumed()
}

// assumed is the client when nothing names one: requests go as curl and the
// docs send them (x-api-key, the legacy version), credentials are read as
// every SDK reads them, and what two credentials do is not known.
func assumed() ClientInfo {
	c := creds.Curl()
	c.Name = "curl-style (no SDK named in the project)"
	c.Vars = []string{creds.VarAPIKey, creds.VarAuthToken}
	c.Chain = creds.DocsChain()
	c.Both, c.EmptySet = "", false
	return ClientInfo{Client: c, From: ClientAssumed}
}

// HeaderFor is the header the client sends a candidate's credential in: a
// token from ANTHROPIC_AUTH_TOKEN (or an OAuth token anywhere) as Bearer,
// an API key where the client puts API keys.
func (ci ClientInfo) HeaderFor(c *Candidate) string {
	if c != nil && (c.Var == VarAuthToken || c.Kind == KindOAuth) {
		return creds.HeaderBearer
	}
	return ci.KeyHeader
}

// AltHeader is the other way to send the key in use, tried to tell a
// stripped header from a rejected key; empty when there is no other way (a
// token only ever goes as Bearer) or no client was resolved.
func (ci ClientInfo) AltHeader(c *Candidate) string {
	if c == nil || ci.KeyHeader == "" || c.Var == VarAuthToken || c.Kind == KindOAuth {
		return ""
	}
	if ci.KeyHeader == creds.HeaderBearer {
		return creds.HeaderAPIKey
	}
	return creds.HeaderBearer
}

// isLockFile reports whether a project file records installed versions.
func isLockFile(name string) bool {
	switch name {
	case "package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock", "poetry.lock", "uv.lock", "Pipfile.lock":
		return true
	}
	return false
}
