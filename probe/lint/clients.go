package lint

import (
	"strings"

	"github.com/fix401/fix401/probe/creds"
)

// How lint judges credentials, from the client table in probe/creds and
// API-FACTS.md (the API as of 2026):
//
//   - The API takes an API key in x-api-key or as Authorization: Bearer, with
//     either anthropic-version (creds.VersionLegacy, creds.VersionCurrent).
//     So Bearer with an API key is never an error. It is a warning where the
//     key could take a path that refuses it: gateways and proxies that strip
//     or overwrite Authorization, and the SDK lines that still send keys only
//     as x-api-key (rows with KeyHeader x-api-key that have a newer major).
//     Code for a client whose row sends API keys as Bearer itself (Go SDK v2,
//     TypeScript SDK 1.x) gets no finding: that is its normal request.
//   - ANTHROPIC_AUTH_TOKEN holding an API key: every client sends the token
//     variable as Bearer, which the API accepts for an API key. For a Bearer
//     client nothing changes on the wire, so no finding; for any other or an
//     unknown client, the same warning as Bearer above.
//   - Two credentials at once (ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN
//     both set, or api_key and auth_token both passed) reach the API only
//     from clients whose row says Both == creds.BothSent; the others keep the
//     API key and drop the token. So it is an error for those clients, a
//     warning naming them when the client is unknown (a .env file serves
//     them all), and nothing for the others.
//   - A request written out by hand (curl, a raw HTTP file, fetch) that
//     carries both x-api-key and Authorization to the API itself sends both,
//     whoever wrote it: an error. To another host (a gateway) the second
//     header is usually the gateway's own credential: no finding.

// legacyKeyClients names the SDK lines that send an API key only as
// x-api-key although a newer line of the same SDK sends Bearer: Go SDK v1,
// TypeScript SDK 0.x.
func legacyKeyClients() []string {
	bearer := map[string]bool{}
	for _, c := range creds.All() {
		if c.KeyHeader == creds.HeaderBearer {
			bearer[c.ID] = true
		}
	}
	var names []string
	for _, c := range creds.All() {
		if c.KeyHeader == creds.HeaderAPIKey && bearer[c.ID] {
			names = append(names, c.Name)
		}
	}
	return names
}

// bothSenders names the clients that send an API key and an auth token
// together.
func bothSenders() string {
	var names []string
	for _, c := range creds.All() {
		if c.SendsBoth() {
			names = append(names, c.Name)
		}
	}
	return joinAnd(names)
}

func joinAnd(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// bearerClient reports whether the input is known to be for a client that
// sends API keys as Authorization: Bearer itself.
func (l *linter) bearerClient() bool {
	return l.client != nil && l.client.KeyHeader == creds.HeaderBearer
}

// bearerWarn reports an API key (or a credential of unknown kind) sent as
// Authorization: Bearer; what says how it gets there.
func (l *linter) bearerWarn(line int, what string) {
	if l.bearerClient() {
		return
	}
	l.add(IDAuthBearer, Warn, line,
		what+" The API takes that; "+joinAnd(append(legacyKeyClients(), "gateways or proxies that strip Authorization"))+" do not.",
		"If one of those is in the way, send the key in x-api-key, which every client and gateway accepts.")
}

// conflict reports two credentials sent at once; line is where the second
// one is set. what describes the pair.
func (l *linter) conflict(line int, what string) {
	switch {
	case l.client == nil:
		l.add(IDAuthConflict, Warn, line, what+" "+bothSenders()+" send both, and the API refuses the pair.",
			"Keep one credential: leave "+creds.VarAuthToken+" unset when you use an API key.")
	case l.client.SendsBoth():
		l.add(IDAuthConflict, Error, line, what+" "+l.client.Name+" sends both, and the API refuses the pair.",
			"Keep one credential: the API key, or the token alone.")
	}
}
