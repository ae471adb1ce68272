package probe

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fix401/fix401/probe/creds"
)

// Roles of a credential in the client's chain, as `aws configure list` and
// `ant auth status` show them.
const (
	RoleWinner     = "winner"     // the credential the client uses
	RoleOverridden = "overridden" // the client reads it, but something before it in its chain wins
	RoleUnused     = "unused"     // found, but the client never reads it (a shell file, a misnamed variable)
)

// ChainEntry is one credential found, with its role for the client.
type ChainEntry struct {
	Index  int    // into Candidates; -1 for federation
	Source string // where it came from, as shown
	Kind   string // api, oauth, …, or federation
	Hint   string // masked; empty for federation, whose token is never shown
	Role   string
}

// Chain lists every credential found in discovery order, federation last,
// each with its role for the client.
func (r *Report) Chain() []ChainEntry {
	var out []ChainEntry
	for i := range r.Candidates {
		c := &r.Candidates[i]
		if c.Value == "" && c.Hint == "" {
			continue
		}
		role := RoleUnused
		switch {
		case i == r.Active:
			role = RoleWinner
		case r.overridden(i):
			role = RoleOverridden
		}
		out = append(out, ChainEntry{Index: i, Source: c.Source, Kind: string(c.Kind), Hint: c.Hint, Role: role})
	}
	if f := r.Federation; f != nil {
		role := RoleUnused
		switch {
		case r.FederationWins():
			role = RoleWinner
		case f.Complete() && slices.Contains(r.Client.Chain, creds.TierFederation):
			role = RoleOverridden
		}
		src := "federation"
		if f.RuleID != "" {
			src += " rule " + f.RuleID
		}
		if f.Profile != "" {
			src += " (profile " + f.Profile + ")"
		} else if f.TokenFrom != "" {
			src += " (identity token from " + f.TokenFrom + ")"
		}
		out = append(out, ChainEntry{Index: -1, Source: src, Kind: "federation", Role: role})
	}
	return out
}

// CheckChain lists the client's credential chain: what wins, what it
// overrides, what it never reads. It is shown when an SDK profile or a
// federation setup is in play; key.sources covers the rest.
const CheckChain = "key.chain"

func (r *Report) checkChain() Result {
	res := Result{ID: CheckChain, Status: Pass}
	entries := r.Chain()
	slices.SortStableFunc(entries, func(a, b ChainEntry) int { return roleRank(a.Role) - roleRank(b.Role) })
	var lines []string
	winner := ""
	for _, e := range entries {
		hint := e.Hint
		if hint == "" {
			hint = "(" + e.Kind + ")"
		}
		lines = append(lines, fmt.Sprintf("%-10s  %s  %s", e.Role, hint, e.Source))
		if e.Role == RoleWinner {
			winner = e.Source
		}
	}
	res.Detail = strings.Join(lines, "\n")
	switch {
	case winner == "":
		res.Status = Warn
		res.Title = fmt.Sprintf("Credential chain of %s: nothing it reads holds a credential", r.Client.Name)
	default:
		res.Title = fmt.Sprintf("Credential chain of %s: %s wins", r.Client.Name, winner)
	}
	return res
}

func roleRank(role string) int {
	switch role {
	case RoleWinner:
		return 0
	case RoleOverridden:
		return 1
	}
	return 2
}
