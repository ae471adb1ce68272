package probe

import (
	"fmt"
	"strings"
	"time"
)

// checkKeyRecord says what the Admin API's record of the key in use is,
// with the records of every other key looked up as its detail. A refusal
// of the Admin key itself (401, 403) skips the lookup: it never judges
// the user's key.
func (r *Report) checkKeyRecord() Result {
	res := Result{ID: CheckKeyRecord}
	info := r.AdminKey
	switch {
	case info.Unusable != "":
		res.Status, res.Title = Skip, fmt.Sprintf("Key record: not looked up: the Admin key in %s cannot be sent: %s", info.Source, info.Unusable)
		return res
	case r.Insecure():
		res.Status, res.Title = Skip, "Key record: not looked up: the base URL is plain HTTP to another machine, so the Admin key was not sent"
		return res
	case len(r.lookupTargets()) == 0:
		res.Status, res.Title = Skip, "Key record: no API key to look up"
		return res
	case !r.Done[ProbeAdmin]:
		return pending(CheckKeyRecord, "Looking the keys up in the Admin API…")
	}
	l := r.Lookup
	if l == nil || len(l.Answers) == 0 {
		res.Status, res.Title = Error, "Key record: the Admin API was not asked"
		return res
	}
	for _, a := range l.Answers {
		res.Duration += dur(a)
	}
	if first := l.Answers[0]; l.Stop == first {
		res.Status = Error
		switch {
		case l.Refused() && first.Status == 401:
			res.Status = Skip
			res.Title = fmt.Sprintf("Key record: lookup skipped: the Admin API refused the key from %s (401 %s %q)", info.Source, first.ErrorType, first.Message)
			if info.Kind != KindAdmin {
				res.Title += "; it is not an Admin key (sk-ant-admin01-…)"
			}
		case l.Refused():
			res.Status = Skip
			res.Title = fmt.Sprintf("Key record: lookup skipped: the key from %s may not read the Admin API (403 %s %q); a workspace key cannot",
				info.Source, first.ErrorType, first.Message)
		case first.Err != nil:
			res.Title = "Key record: the Admin API lookup got no answer: " + answerWords(first)
		case !first.Anthropic:
			res.Title = fmt.Sprintf("Key record: the lookup got HTTP %d, but not from the Anthropic API", first.Status)
		case l.Unreadable:
			res.Title = "Key record: the Admin API's key list could not be read"
		default:
			res.Title = "Key record: the Admin API lookup failed: " + answerWords(first)
			if first.Message != "" {
				res.Title += fmt.Sprintf(" %q", first.Message)
			}
		}
		return res
	}

	res.Detail = r.recordLines()
	if !l.Complete {
		res.Detail = strings.TrimSpace(res.Detail + "\n" + r.lookupScope())
	}
	k := r.ActiveKey()
	if k == nil || k.Kind != KindAPI {
		found := 0
		for _, i := range l.Looked {
			if len(r.Records(i)) > 0 {
				found++
			}
		}
		res.Status = Pass
		res.Title = fmt.Sprintf("Key records: %d of %s found in the Admin API (no API key in use to judge)", found, plural(len(l.Looked), "key", "keys"))
		return res
	}
	recs := r.Records(r.Active)
	now, loc := r.Clock(), r.StartedAt.Location()
	switch {
	case len(recs) == 0 && !l.Complete:
		res.Status = Skip
		res.Title = fmt.Sprintf("Key record: %s is not among the keys read (%s)", k.Hint, r.lookupScope())
		return res
	case len(recs) == 0:
		res.Status = Warn
		res.Title = fmt.Sprintf("Key record: no key with the hint %s is listed in the Admin key's organization (%s)", k.Hint, r.lookupScope())
		res.Fix = "The key belongs to another organization, or was never issued (a copy that lost characters). Compare the hint with the Console's key list."
		return res
	case len(recs) > 1:
		res.Status = Warn
		res.Title = fmt.Sprintf("Key record: %d keys in the list share the hint %s; fix401 cannot tell which one this is", len(recs), k.Hint)
		return res
	}
	rec := recs[0]
	who := fmt.Sprintf("%q (%s)", rec.Name, k.Hint)
	switch state := rec.State(now); {
	case state != KeyActive && r.Auth.Accepted():
		res.Status = Warn
		res.Title = fmt.Sprintf("Key record: the Admin API lists %s as %s, yet the API accepts the key: another key may share its hint", who, StatusWords(state))
	case state == KeyInactive:
		res.Status = Fail
		res.Title = fmt.Sprintf("Key record: %s is disabled in the Console (status inactive)", who)
	case state == KeyExpired:
		res.Status = Fail
		res.Title = fmt.Sprintf("Key record: %s expired on %s", who, DateTimeWords(rec.ExpiresAt, loc))
		if rec.ExpiresAt.IsZero() {
			res.Title = fmt.Sprintf("Key record: %s has expired", who)
		}
	case state == KeyArchived && rec.WorkspaceArchived():
		res.Status = Fail
		res.Title = fmt.Sprintf("Key record: %s is archived: its workspace %q was archived on %s", who, rec.Workspace.Name, DateWords(rec.Workspace.ArchivedAt, loc))
	case state == KeyArchived:
		res.Status = Fail
		res.Title = fmt.Sprintf("Key record: %s is archived: deleted in the Console", who)
	case rec.ExpiresWithin(now, ExpiryWarning):
		res.Status = Warn
		res.Title = fmt.Sprintf("Key record: %s works, but expires on %s, %s; then the API answers 401", who,
			DateTimeWords(rec.ExpiresAt, loc), RelativeWords(now, rec.ExpiresAt))
		res.Fix = "Create its successor in the Console now and swap it in before that date: an expired key cannot be reactivated."
	case state == KeyActive:
		res.Status = Pass
		res.Title = fmt.Sprintf("Key record: %s is active, %s", who, ExpiryWords(rec, now, loc))
	default:
		res.Status = Warn
		res.Title = fmt.Sprintf("Key record: %s has the status %q, which fix401 does not know", who, state)
	}
	return res
}

// recordLines is one line per other key looked up: its hint, where it was
// found and its record. The key in use has the check's title (and the
// wizard's facts).
func (r *Report) recordLines() string {
	var lines []string
	now, loc := r.Clock(), r.StartedAt.Location()
	k := r.ActiveKey()
	for _, i := range r.Lookup.Looked {
		if i >= len(r.Candidates) || k != nil && k.Kind == KindAPI && SameKey(*k, r.Candidates[i]) {
			continue
		}
		c := r.Candidates[i]
		head := fmt.Sprintf("%s  %s: ", c.Hint, c.Source)
		switch recs := r.Records(i); len(recs) {
		case 0:
			lines = append(lines, head+"not listed")
		case 1:
			lines = append(lines, head+RecordWords(recs[0], now, loc))
		default:
			lines = append(lines, head+fmt.Sprintf("%d listed keys share this hint", len(recs)))
		}
	}
	return strings.Join(lines, "\n")
}

// lookupScope says how much of the list was read: "12 keys listed", or
// where it stopped.
func (r *Report) lookupScope() string {
	l := r.Lookup
	s := plural(l.Listed, "key", "keys") + " listed"
	switch {
	case l.Complete:
	case l.Stop != nil:
		s += "; the list stopped there: " + answerWords(l.Stop)
	default:
		s += fmt.Sprintf("; fix401 reads at most %d pages", MaxAdminPages)
	}
	return s
}

// StatusWords names a key's status for people.
func StatusWords(status string) string {
	switch status {
	case KeyInactive:
		return "disabled (inactive)"
	case KeyArchived:
		return "archived (deleted)"
	}
	return status
}

// RecordWords is a key's record in one line: name, status, created,
// expiry, workspace.
func RecordWords(k KeyRecord, now time.Time, loc *time.Location) string {
	parts := []string{fmt.Sprintf("%q", k.Name), StatusWords(k.State(now))}
	if !k.CreatedAt.IsZero() {
		created := "created " + DateWords(k.CreatedAt, loc)
		if k.CreatedBy != "" {
			created += " by " + k.CreatedBy
		}
		parts = append(parts, created)
	}
	parts = append(parts, ExpiryWords(k, now, loc), "workspace "+WorkspaceWords(k, loc))
	return strings.Join(parts, ", ")
}

// ExpiryWords says when a key expires: "never expires", "expires
// 2026-12-02 14:00 CET (in 5 days)", "expired 2026-11-20 09:12 CET (5 days
// ago)".
func ExpiryWords(k KeyRecord, now time.Time, loc *time.Location) string {
	switch {
	case k.ExpiresAt.IsZero():
		return "never expires"
	case now.Before(k.ExpiresAt):
		return fmt.Sprintf("expires %s (%s)", DateTimeWords(k.ExpiresAt, loc), RelativeWords(now, k.ExpiresAt))
	}
	return fmt.Sprintf("expired %s (%s)", DateTimeWords(k.ExpiresAt, loc), RelativeWords(now, k.ExpiresAt))
}

// WorkspaceWords names a key's workspace, and when it was archived.
func WorkspaceWords(k KeyRecord, loc *time.Location) string {
	switch {
	case k.OrgScoped:
		return "none (organization-wide)"
	case k.Workspace != nil:
		s := k.Workspace.Name
		if s == "" {
			s = k.Workspace.ID
		} else if s != "Default" {
			s += " (" + k.Workspace.ID + ")"
		}
		if k.WorkspaceArchived() {
			s += ", archived " + DateWords(k.Workspace.ArchivedAt, loc)
		}
		return s
	case k.WorkspaceID != "":
		return k.WorkspaceID
	}
	return "Default"
}

// DateWords is a day in loc: 2026-11-20.
func DateWords(t time.Time, loc *time.Location) string { return inLoc(t, loc).Format(time.DateOnly) }

// DateTimeWords is a moment in loc, to the minute: 2026-11-20 09:12 CET.
func DateTimeWords(t time.Time, loc *time.Location) string {
	return inLoc(t, loc).Format("2006-01-02 15:04 MST")
}

func inLoc(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		return t.UTC()
	}
	return t.In(loc)
}

// RelativeWords says how far t is from now: "in 3 days", "in 5 hours",
// "2 days ago".
func RelativeWords(now, t time.Time) string {
	d := t.Sub(now)
	past := d < 0
	if past {
		d = -d
	}
	var s string
	switch {
	case d >= 48*time.Hour:
		s = plural(int(d/(24*time.Hour)), "day", "days")
	case d >= 2*time.Hour:
		s = plural(int(d/time.Hour), "hour", "hours")
	default:
		s = plural(max(1, int(d/time.Minute)), "minute", "minutes")
	}
	if past {
		return s + " ago"
	}
	return "in " + s
}
