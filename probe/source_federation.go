package probe

// The Workload Identity Federation source: the federation variables (or a
// federation profile) and the identity token they point to. The token is
// a secret: it is read within bounds, its claims are decoded locally —
// never verified, never shown whole — and it is sent nowhere but to the
// token exchange.

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
)

// Federation variables (facts/wif-admin.md A2).
const (
	VarFederationRule = "ANTHROPIC_FEDERATION_RULE_ID"
	VarOrganizationID = "ANTHROPIC_ORGANIZATION_ID"
	VarIdentityFile   = "ANTHROPIC_IDENTITY_TOKEN_FILE"
	VarIdentityToken  = "ANTHROPIC_IDENTITY_TOKEN"
	VarServiceAccount = "ANTHROPIC_SERVICE_ACCOUNT_ID"
	VarWorkspaceID    = "ANTHROPIC_WORKSPACE_ID"
)

// FederationVars are the variables that configure federation, in the
// order the SDKs name them.
var FederationVars = []string{VarFederationRule, VarOrganizationID, VarIdentityFile, VarIdentityToken, VarServiceAccount, VarWorkspaceID}

// Identity token bounds and rules of the exchange (facts/wif-admin.md A3.3).
const (
	MaxIdentityToken  = 16 << 10 // bytes the exchange accepts
	FederationSkew    = 30 * time.Second
	FederationMaxLife = time.Hour // the issuer's default maximum exp - iat
	FederationAud     = "https://api.anthropic.com"
)

// Identity token problems (Federation.TokenProblem).
const (
	TokenMissing    = "missing"    // the file does not exist
	TokenUnreadable = "unreadable" // it exists but cannot be read, or is not a regular file
	TokenEmpty      = "empty"
	TokenTooLarge   = "too_large" // over MaxIdentityToken
	TokenNotJWT     = "not_jwt"   // not three base64url parts with JSON header and claims
)

// Claims are the identity token's decoded header and claims: what a
// federation rule matches. They are not verified.
type Claims struct {
	Iss, Sub string
	Aud      []string
	Exp, Iat time.Time // zero when absent
	Alg, Kid string
	Jti      bool // a jti is present: the token can be exchanged once
}

// Federation is the Workload Identity Federation setup as found. It holds
// the identity token only in an unexported field.
type Federation struct {
	// Set lists the federation variables set (non-empty), Missing those
	// still needed to exchange: the rule, the organization, a token.
	Set, Missing []string
	// Profile names the federation profile the setup comes from; empty
	// for the variables alone.
	Profile string

	RuleID, OrganizationID, ServiceAccountID, WorkspaceID string

	TokenFrom    string // VarIdentityFile, VarIdentityToken, or the profile's identity_token.path
	TokenPath    string // the file, when from a file
	TokenSize    int    // bytes, when read
	TokenProblem string // Token* constants
	Claims       *Claims

	assertion string // the identity token; sent only to /v1/oauth/token
	minted    string // the token the exchange minted, once it ran
}

// Complete reports whether the SDKs would exchange: a rule, an
// organization and a readable identity token.
func (f *Federation) Complete() bool {
	return f != nil && len(f.Missing) == 0 && f.TokenProblem == "" && f.assertion != ""
}

// Expired reports whether the identity token has expired at now, past the
// exchange's 30 s skew.
func (f *Federation) Expired(now time.Time) bool {
	return f != nil && f.Claims != nil && !f.Claims.Exp.IsZero() && now.After(f.Claims.Exp.Add(FederationSkew))
}

// Lifetime is exp - iat, or 0 when either is absent.
func (c *Claims) Lifetime() time.Duration {
	if c == nil || c.Exp.IsZero() || c.Iat.IsZero() {
		return 0
	}
	return c.Exp.Sub(c.Iat)
}

// AudienceOK reports whether the token is for the Anthropic API.
func (c *Claims) AudienceOK() bool {
	for _, a := range c.Aud {
		if a == FederationAud {
			return true
		}
	}
	return false
}

// federationSource records the federation setup on the discovery; it
// yields no candidate, since the identity token is not an API credential.
type federationSource struct{}

func (federationSource) Name() string { return "federation" }

func (federationSource) Find(d *discovery) []Candidate {
	d.fed = d.federation()
	return nil
}

// federation reads the variables, then a federation profile's settings,
// which the SDKs prefer over the variables for the fields they set.
func (d *discovery) federation() *Federation {
	v := d.env.Vars
	f := &Federation{}
	for _, name := range FederationVars {
		if v[name] != "" {
			f.Set = append(f.Set, name)
		}
	}
	f.RuleID, f.OrganizationID = clipText(v[VarFederationRule]), clipText(v[VarOrganizationID])
	f.ServiceAccountID, f.WorkspaceID = clipText(v[VarServiceAccount]), clipText(v[VarWorkspaceID])
	tokenFile := v[VarIdentityFile]
	tokenFrom := ""
	switch {
	case tokenFile != "":
		tokenFrom = VarIdentityFile
	case v[VarIdentityToken] != "":
		tokenFrom = VarIdentityToken
	}
	if p := d.prof; p != nil && p.Broken == "" && p.Type == ProfileFederation {
		f.Profile = p.Name
		if p.FederationRuleID != "" {
			f.RuleID = p.FederationRuleID
		}
		if p.OrganizationID != "" {
			f.OrganizationID = p.OrganizationID
		}
		if p.ServiceAccountID != "" {
			f.ServiceAccountID = p.ServiceAccountID
		}
		if p.WorkspaceID != "" {
			f.WorkspaceID = p.WorkspaceID
		}
		if p.IdentityTokenPath != "" {
			tokenFile, tokenFrom = p.IdentityTokenPath, "identity_token.path of profile "+p.Name
		}
	}
	if len(f.Set) == 0 && f.Profile == "" {
		return nil
	}
	if f.RuleID == "" {
		f.Missing = append(f.Missing, VarFederationRule)
	}
	if f.OrganizationID == "" {
		f.Missing = append(f.Missing, VarOrganizationID)
	}
	if tokenFrom == "" {
		f.Missing = append(f.Missing, VarIdentityFile+" (or "+VarIdentityToken+")")
		return f
	}
	f.TokenFrom = tokenFrom
	var raw []byte
	if tokenFrom == VarIdentityToken {
		raw = []byte(v[VarIdentityToken])
	} else {
		f.TokenPath = absPath(tokenFile)
		raw = d.identityFile(f)
		if f.TokenProblem != "" {
			return f
		}
	}
	tok := string(bytes.TrimSpace(raw))
	f.TokenSize = len(tok)
	switch {
	case tok == "":
		f.TokenProblem = TokenEmpty
		return f
	case len(tok) > MaxIdentityToken:
		f.TokenProblem = TokenTooLarge
		return f
	}
	f.Claims = decodeJWT(tok)
	if f.Claims == nil {
		f.TokenProblem = TokenNotJWT
	}
	f.assertion = tok
	return f
}

// identityFile reads the identity token file, at most one byte past the
// limit so that an oversized token is told apart.
func (d *discovery) identityFile(f *Federation) []byte {
	info, err := os.Stat(f.TokenPath)
	switch {
	case os.IsNotExist(err):
		f.TokenProblem = TokenMissing
		return nil
	case err != nil || !info.Mode().IsRegular():
		f.TokenProblem = TokenUnreadable
		return nil
	case info.Size() > MaxIdentityToken+1024:
		f.TokenSize, f.TokenProblem = int(info.Size()), TokenTooLarge
		return nil
	}
	fh, err := os.Open(f.TokenPath)
	if err != nil {
		f.TokenProblem = TokenUnreadable
		return nil
	}
	defer fh.Close()
	data, err := readBounded(fh, MaxIdentityToken+1024)
	if err != nil {
		f.TokenProblem = TokenUnreadable
		return nil
	}
	return data
}

// decodeJWT reads a JWT's header and claims without verifying anything;
// nil when tok is not shaped like a JWT.
func decodeJWT(tok string) *Claims {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil
	}
	dec := func(s string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
		if err != nil {
			return nil
		}
		return b
	}
	var h struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	var c struct {
		Iss string          `json:"iss"`
		Sub string          `json:"sub"`
		Aud json.RawMessage `json:"aud"`
		Exp json.Number     `json:"exp"`
		Iat json.Number     `json:"iat"`
		Jti string          `json:"jti"`
	}
	if json.Unmarshal(dec(parts[0]), &h) != nil || json.Unmarshal(dec(parts[1]), &c) != nil {
		return nil
	}
	out := &Claims{Iss: clipText(c.Iss), Sub: clipText(c.Sub), Alg: clipText(h.Alg), Kid: clipText(h.Kid), Jti: c.Jti != "",
		Exp: unixClaim(c.Exp), Iat: unixClaim(c.Iat)}
	var one string
	var many []string
	switch {
	case json.Unmarshal(c.Aud, &one) == nil:
		out.Aud = []string{clipText(one)}
	case json.Unmarshal(c.Aud, &many) == nil:
		for i, a := range many {
			if i == 10 {
				break
			}
			out.Aud = append(out.Aud, clipText(a))
		}
	}
	return out
}

func unixClaim(n json.Number) time.Time {
	f, err := n.Float64()
	if err != nil || f <= 0 || f > 1e11 {
		return time.Time{}
	}
	return time.Unix(int64(f), 0)
}

// TokenWords says what is wrong with the identity token, sanitized; empty
// when nothing is.
func (f *Federation) TokenWords() string {
	switch f.TokenProblem {
	case TokenMissing:
		return fmt.Sprintf("the identity token file %s does not exist", f.TokenPath)
	case TokenUnreadable:
		return fmt.Sprintf("the identity token file %s cannot be read", f.TokenPath)
	case TokenEmpty:
		return "the identity token is empty"
	case TokenTooLarge:
		return fmt.Sprintf("the identity token is %d bytes, over the exchange's %d KiB limit", f.TokenSize, MaxIdentityToken>>10)
	case TokenNotJWT:
		return "the identity token is not a JWT (three base64url parts)"
	}
	return ""
}
