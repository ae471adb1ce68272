package creds

import (
	"slices"
	"testing"
)

func TestForSDK(t *testing.T) {
	cases := []struct {
		eco, name, version string
		id, major, header  string
		ok                 bool
	}{
		{"go", "anthropic-sdk-go", "v2.15.0", "go", "v2", HeaderBearer, true},
		{"go", "anthropic-sdk-go", "v1.84.0", "go", "v1", HeaderAPIKey, true},
		{"go", "anthropic-sdk-go", "v0.2.0-beta.3", "go", "v1", HeaderAPIKey, true},
		{"npm", "@anthropic-ai/sdk", "^1.14.0", "typescript", "1.x", HeaderBearer, true},
		{"npm", "@anthropic-ai/sdk", "1.14.0", "typescript", "1.x", HeaderBearer, true},
		{"npm", "@anthropic-ai/sdk", "~0.30.1", "typescript", "0.x", HeaderAPIKey, true},
		{"npm", "@anthropic-ai/sdk", ">=0.40 <1", "typescript", "0.x", HeaderAPIKey, true},
		{"npm", "@anthropic-ai/sdk", "latest", "typescript", "1.x", HeaderBearer, true},
		{"npm", "@anthropic-ai/sdk", "", "typescript", "1.x", HeaderBearer, true},
		{"pypi", "anthropic", "==0.121.0", "python", "", HeaderAPIKey, true},
		{"npm", "@langchain/anthropic", "1.0.0", "", "", "", false},
		{"maven", "anthropic-java", "2.0.0", "", "", "", false},
	}
	for _, c := range cases {
		got, ok := ForSDK(c.eco, c.name, c.version)
		if ok != c.ok || got.ID != c.id || got.Major != c.major || got.KeyHeader != c.header {
			t.Errorf("ForSDK(%q, %q, %q) = %s %s %s %v, want %s %s %s %v", c.eco, c.name, c.version,
				got.ID, got.Major, got.KeyHeader, ok, c.id, c.major, c.header, c.ok)
		}
	}
}

// Every row is complete and speaks a version the API knows; the current
// SDK lines send Bearer with the current version, the legacy lines
// x-api-key with the legacy one (API-FACTS.md's table).
func TestTableRows(t *testing.T) {
	for _, c := range All() {
		if c.ID == "" || c.Name == "" || c.Settled == "" || len(c.Vars) == 0 || c.Vars[0] != VarAPIKey && c.ID != ClaudeCode {
			t.Errorf("incomplete row: %+v", c)
		}
		if !slices.Contains(IDs(), c.ID) {
			t.Errorf("%s: --for does not accept %q", c.Name, c.ID)
		}
		want := VersionLegacy
		if c.KeyHeader == HeaderBearer {
			want = VersionCurrent
		}
		if c.Version != want {
			t.Errorf("%s sends %s with anthropic-version %s, want %s", c.Name, c.KeyHeader, c.Version, want)
		}
		if c.Other() == c.KeyHeader {
			t.Errorf("%s: Other() = KeyHeader", c.Name)
		}
	}
	if c, _ := Lookup("go", ""); c.Major != "v2" {
		t.Errorf("go without a major = %s, want the current line v2", c.Major)
	}
	if !Valid("auto") || Valid("java") {
		t.Error("Valid is wrong about auto or java")
	}
}

func TestCustomHeaders(t *testing.T) {
	got := CustomHeaders("anthropic-workspace-id: wrkspc_01\nnot a header\n: novalue\nX-Trace:a:b\n  Authorization :  Bearer x ")
	want := []Header{{"anthropic-workspace-id", "wrkspc_01"}, {"X-Trace", "a:b"}, {"Authorization", "Bearer x"}}
	if !slices.Equal(got, want) {
		t.Fatalf("CustomHeaders = %q, want %q", got, want)
	}
	if !IsCredentialHeader(" Authorization") || !IsCredentialHeader("X-API-KEY") || IsCredentialHeader("x-trace") {
		t.Error("IsCredentialHeader is wrong")
	}
}

// The chain after the variables is data: the documented five tiers for Go
// and Python, the TypeScript SDK's deviation (an active profile file beats
// federation variables), nothing for curl.
func TestPrecedence(t *testing.T) {
	goV2, _ := Lookup("go", "v2")
	py, _ := Lookup("python", "")
	ts, _ := Lookup("typescript", "1.x")
	docs := []string{VarAPIKey, VarAuthToken, TierProfileNamed, TierFederation, TierProfileActive}
	for _, c := range []Client{goV2, py} {
		if got := c.Precedence(); !slices.Equal(got, docs) {
			t.Errorf("%s: Precedence = %q, want %q", c.Name, got, docs)
		}
	}
	if got, want := ts.Precedence(), []string{VarAPIKey, VarAuthToken, TierProfileNamed, TierProfileActive, TierFederation}; !slices.Equal(got, want) {
		t.Errorf("%s: Precedence = %q, want %q", ts.Name, got, want)
	}
	if got := Curl().Precedence(); !slices.Equal(got, []string{VarAPIKey}) {
		t.Errorf("curl: Precedence = %q", got)
	}
	// Precedence never aliases the table.
	p := goV2.Precedence()
	p[0] = "x"
	if again, _ := Lookup("go", "v2"); again.Precedence()[0] != VarAPIKey {
		t.Error("Precedence shares its slice with the table")
	}
}

// A version from before profiles and federation reads neither.
func TestChainSince(t *testing.T) {
	for _, tc := range []struct {
		eco, name, version string
		chain              bool
	}{
		{"pypi", "anthropic", "0.69.0", false},
		{"pypi", "anthropic", "==0.98.0", true},
		{"pypi", "anthropic", ">=0.99,<1", true},
		{"pypi", "anthropic", "*", true},
		{"npm", "@anthropic-ai/sdk", "^0.92.1", false},
		{"npm", "@anthropic-ai/sdk", "0.93.0", true},
		{"go", "anthropic-sdk-go", "v1.38.2", false},
		{"go", "anthropic-sdk-go", "v1.84.0", true},
		{"go", "anthropic-sdk-go", "v2.15.0", true},
	} {
		c, ok := ForSDK(tc.eco, tc.name, tc.version)
		if !ok || (len(c.Chain) > 0) != tc.chain {
			t.Errorf("%s %s: Chain %q, want chain %v", tc.name, tc.version, c.Chain, tc.chain)
		}
	}
	// The table itself keeps its chain.
	if py, _ := Lookup("python", ""); len(py.Chain) == 0 {
		t.Error("ForSDK changed the table")
	}
}

// Go SDK v1.84.0 returns before ANTHROPIC_CUSTOM_HEADERS once a key
// variable is set: the row must not send them; v2 and the others do.
func TestCustomHeadersFollowTheSource(t *testing.T) {
	for _, c := range All() {
		want := c.ID != "curl" && !(c.ID == "go" && c.Major == "v1")
		if c.CustomHeaders != want {
			t.Errorf("%s: CustomHeaders %v, want %v", c.Name, c.CustomHeaders, want)
		}
	}
}

// Claude Code's documented order: the auth token before the API key,
// apiKeyHelper, its own OAuth variable, then profiles, federation and
// /login last.
func TestClaudeCodeRow(t *testing.T) {
	c, ok := Lookup(ClaudeCode, "")
	if !ok || !Valid(ClaudeCode) {
		t.Fatal("no claude-code row, or --for does not take it")
	}
	want := []string{VarAuthToken, VarAPIKey, TierHelper, VarOAuthToken, TierProfileNamed, TierFederation, TierProfileActive, TierClaudeLogin}
	if !slices.Equal(c.Precedence(), want) {
		t.Errorf("precedence %q, want %q", c.Precedence(), want)
	}
	if c.KeyHeader != HeaderAPIKey || c.Version != VersionLegacy || c.Both != TokenWins {
		t.Errorf("sends %s %s, both %s", c.KeyHeader, c.Version, c.Both)
	}
	if slices.Contains(docsChain, TierClaudeLogin) {
		t.Error("the row changed the SDKs' chain")
	}
}
