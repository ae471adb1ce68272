package steps

import (
	"fmt"
	"time"

	"github.com/fix401/fix401/probe"
)

// The Admin API's record of a key (probe.KeyLookup) turns one 401 into
// several answers: disabled (re-enable it), expired (replace it), archived
// (deleted, or its workspace archived). A verdict needs both: the API
// rejected the key with 401, and the key list names exactly one key with
// its hint. A lookup the Admin API refused says nothing about the key.

// ConsoleAdminKeysURL is where an organization admin creates Admin keys
// (Console → Settings → Admin keys).
const ConsoleAdminKeysURL = "https://" + consoleAdminKeysHost

const consoleAdminKeysHost = "platform.claude.com/settings/admin-keys"

// recordOfRejected returns the key in use and its record when the API
// rejected the key (401) and the Admin API lists exactly one key with its
// hint.
func recordOfRejected(r *probe.Report) (*probe.Candidate, probe.KeyRecord, bool) {
	k := r.ActiveKey()
	if k == nil || k.Kind != probe.KindAPI || r.Auth.Class() != probe.ClassInvalid {
		return nil, probe.KeyRecord{}, false
	}
	rec, ok := r.KeyRecordOf(r.Active)
	return k, rec, ok
}

func ruleKeyExpired(r *probe.Report) (Diagnosis, bool) {
	k, rec, ok := recordOfRejected(r)
	now := r.Clock()
	if !ok || rec.State(now) != probe.KeyExpired {
		return Diagnosis{}, false
	}
	when := "has expired"
	if !rec.ExpiresAt.IsZero() {
		when = fmt.Sprintf("expired on %s (%s)", probe.DateTimeWords(rec.ExpiresAt, r.StartedAt.Location()), probe.RelativeWords(now, rec.ExpiresAt))
	}
	return Diagnosis{Code: KeyExpired,
		Title: fmt.Sprintf("%s from %s, the key %q, %s: the Admin API lists it as expired", k.Hint, k.Source, rec.Name, when),
		Fix: fmt.Sprintf("Expired keys cannot be reactivated: create a new key in the Console (%s) and put it in %s. "+
			"To avoid the next surprise, give it an expiry you plan a rotation around: the Console emails a warning 7 days ahead "+
			"only for keys of 14 days or more (1 day ahead from 7 days, none below), and fix401 with an Admin key warns 7 days ahead.",
			ConsoleKeysURL, placeOf(k))}, true
}

func ruleKeyDisabled(r *probe.Report) (Diagnosis, bool) {
	k, rec, ok := recordOfRejected(r)
	if !ok || rec.State(r.Clock()) != probe.KeyInactive {
		return Diagnosis{}, false
	}
	d := Diagnosis{Code: KeyDisabled,
		Title: fmt.Sprintf("%s from %s, the key %q, is disabled: the Admin API lists it as inactive", k.Hint, k.Source, rec.Name)}
	if !rec.CreatedAt.IsZero() {
		d.Title = fmt.Sprintf("%s from %s, the key %q created %s, is disabled: the Admin API lists it as inactive",
			k.Hint, k.Source, rec.Name, probe.DateWords(rec.CreatedAt, r.StartedAt.Location()))
	}
	d.Fix = fmt.Sprintf("Disabling is reversible: an organization admin can re-enable %q in the Console (%s, the key's menu → Re-enable), "+
		"and this same key works again, with nothing to change on your side. If it was disabled on purpose (a leak), "+
		"create a new key instead and put it in %s.", rec.Name, ConsoleKeysURL, placeOf(k))
	return d, true
}

// archivedRejection words key_rejected for a key the Admin API lists as
// archived: deleted in the Console, or archived with its workspace.
func archivedRejection(r *probe.Report, d Diagnosis) Diagnosis {
	k, rec, ok := recordOfRejected(r)
	if !ok || rec.State(r.Clock()) != probe.KeyArchived {
		return d
	}
	loc := r.StartedAt.Location()
	d.Title = fmt.Sprintf("The API rejects %s from %s: the Admin API lists the key %q as archived", k.Hint, k.Source, rec.Name)
	switch {
	case rec.WorkspaceArchived():
		d.Title += fmt.Sprintf(": its workspace %q was archived on %s, which archives every key in it", rec.Workspace.Name,
			probe.DateWords(rec.Workspace.ArchivedAt, loc))
		d.Fix = fmt.Sprintf("Archived keys cannot be restored, nor archived workspaces. Create a new key in a workspace that is not archived (%s) and put it in %s.",
			ConsoleKeysURL, placeOf(k))
		return d
	case rec.Principal == "user":
		d.Title += ": it was deleted in the Console, or its owner left the organization"
	default:
		d.Title += ": it was deleted in the Console"
	}
	if !rec.CreatedAt.IsZero() {
		d.Title += fmt.Sprintf(" (created %s)", probe.DateWords(rec.CreatedAt, loc))
	}
	d.Fix = fmt.Sprintf("Deleted keys cannot be restored. Create a new key in the Console (%s) and put it in %s.", ConsoleKeysURL, placeOf(k))
	return d
}

// expiryNote is what the ok diagnosis adds for a key that works today but
// expires within probe.ExpiryWarning: the 401 before it happens.
func expiryNote(r *probe.Report, d Diagnosis) Diagnosis {
	rec, ok := r.KeyRecordOf(r.Active)
	now := r.Clock()
	if !ok || !rec.ExpiresWithin(now, probe.ExpiryWarning) {
		return d
	}
	d.Title += fmt.Sprintf(", until it expires on %s (%s)", probe.DateTimeWords(rec.ExpiresAt, r.StartedAt.Location()), probe.RelativeWords(now, rec.ExpiresAt))
	d.Fix = fmt.Sprintf("Nothing to fix today, but then the API answers 401 and %q cannot be reactivated: create its successor in the Console (%s) now and swap it in before that date.",
		rec.Name, ConsoleKeysURL)
	return d
}

// keyRecordFacts are the permissions step's facts about the key in use:
// its record in the Admin API, or, without an Admin key, what the lookup
// would tell and how to get one.
func keyRecordFacts(r *probe.Report) []Fact {
	k := r.ActiveKey()
	if k == nil || k.Kind != probe.KindAPI {
		return nil
	}
	if r.AdminKey == nil {
		return []Fact{{Label: "Key record", Value: "not looked up: an Admin key would show whether this key is disabled, " +
			"expired or archived, and when it expires. An org admin creates one at " + consoleAdminKeysHost +
			"; set ANTHROPIC_ADMIN_API_KEY, or use --admin-key-stdin."}}
	}
	rec, ok := r.KeyRecordOf(r.Active)
	if !ok {
		return nil // the check says why
	}
	now, loc := r.Clock(), r.StartedAt.Location()
	created := "unknown"
	if !rec.CreatedAt.IsZero() {
		created = probe.DateWords(rec.CreatedAt, loc)
	}
	if rec.CreatedBy != "" {
		created += " by " + rec.CreatedBy
	}
	expires := "never"
	if !rec.ExpiresAt.IsZero() {
		expires = fmt.Sprintf("%s (%s)", probe.DateTimeWords(rec.ExpiresAt, loc), probe.RelativeWords(now, rec.ExpiresAt))
	}
	return []Fact{
		{Label: "Key", Value: k.Hint + " from " + k.Source},
		{Label: "Name", Value: fmt.Sprintf("%q", rec.Name)},
		{Label: "Status", Value: probe.StatusWords(rec.State(now))},
		{Label: "Created", Value: created},
		{Label: "Expires", Value: expires},
		{Label: "Workspace", Value: probe.WorkspaceWords(rec, loc)},
		{Label: "Looked up", Value: fmt.Sprintf("in the Admin API with the Admin key from %s (%d keys listed)", r.AdminKey.Source, r.Lookup.Listed)},
	}
}

// recordWords is the record of the key in use in a few words, for the
// checklist and the summary: "disabled (inactive) in the Admin API".
func recordWords(r *probe.Report) string {
	rec, ok := r.KeyRecordOf(r.Active)
	if !ok {
		return ""
	}
	return probe.StatusWords(rec.State(r.Clock())) + " in the Admin API"
}

// JSONKeyRecord is the Admin API's record of a key: admin_record of key and
// credentials[]. Times are RFC 3339; expires_at is empty when the key
// never expires.
type JSONKeyRecord struct {
	ID                  string `json:"id"`
	Name                string `json:"name"`
	Status              string `json:"status"`
	CreatedAt           string `json:"created_at,omitempty"`
	ExpiresAt           string `json:"expires_at,omitempty"`
	CreatedBy           string `json:"created_by,omitempty"`
	WorkspaceID         string `json:"workspace_id,omitempty"`
	WorkspaceName       string `json:"workspace_name,omitempty"`
	WorkspaceArchived   bool   `json:"workspace_archived"`
	WorkspaceArchivedAt string `json:"workspace_archived_at,omitempty"`
}

// jsonRecord is candidate i's record as the Admin API lists it, nil
// unless the list names exactly one key with its hint.
func jsonRecord(r *probe.Report, i int) *JSONKeyRecord {
	rec, ok := r.KeyRecordOf(i)
	if !ok {
		return nil
	}
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	j := &JSONKeyRecord{ID: rec.ID, Name: rec.Name, Status: rec.Status, CreatedAt: stamp(rec.CreatedAt), ExpiresAt: stamp(rec.ExpiresAt),
		CreatedBy: rec.CreatedBy, WorkspaceID: rec.WorkspaceID}
	switch w := rec.Workspace; {
	case rec.OrgScoped:
		j.WorkspaceName = "(organization-wide)"
	case w != nil:
		j.WorkspaceName, j.WorkspaceArchived, j.WorkspaceArchivedAt = w.Name, !w.ArchivedAt.IsZero(), stamp(w.ArchivedAt)
	}
	return j
}
