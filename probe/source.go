package probe

// Where fix401 looks for credentials: one source per file, source_*.go,
// each behind the source interface below. sources is their order, which
// is the order discovery reports candidates in; which candidate a client
// uses is not this order but the client's precedence (creds.Client).

// source is one place a credential can come from.
type source interface {
	// Name is the source's short name, the Origin of its candidates.
	Name() string
	// Find returns the candidates the source holds. It only reads, within
	// the bounds of bounds.go, and notes on d each file it skipped or read
	// in part.
	Find(d *discovery) []Candidate
}

// sources are every source, in discovery order; federation reads the
// profile profileSource found.
var sources = []source{stdinSource{}, envSource{}, dotenvSource{}, shellSource{}, claudeSource{}, profileSource{}, federationSource{}}

// SourceNames lists the credential sources fix401 reads, in discovery
// order.
func SourceNames() []string {
	out := make([]string, len(sources))
	for i, s := range sources {
		out[i] = s.Name()
	}
	return out
}
