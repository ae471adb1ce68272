package stub

import (
	"net/http"
	"time"
)

// Statuspage paths the stub serves, without any key.
const (
	statusSummaryPath = "/api/v2/summary.json"
	statusPath        = "/api/v2/status.json"
)

// APIComponent is the status page's name for the API.
const APIComponent = "Claude API (api.anthropic.com)"

const statusPageID = "k8w3r2m9x1qz"

type statusIndicator struct {
	Indicator   string `json:"indicator"`
	Description string `json:"description"`
}

type statusPage struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	URL       string `json:"url"`
	TimeZone  string `json:"time_zone"`
	UpdatedAt string `json:"updated_at"`
}

type component struct {
	ID                 string  `json:"id"`
	Name               string  `json:"name"`
	Status             string  `json:"status"`
	CreatedAt          string  `json:"created_at"`
	UpdatedAt          string  `json:"updated_at"`
	Position           int     `json:"position"`
	Description        *string `json:"description"`
	Showcase           bool    `json:"showcase"`
	StartDate          *string `json:"start_date"`
	GroupID            *string `json:"group_id"`
	PageID             string  `json:"page_id"`
	Group              bool    `json:"group"`
	OnlyShowIfDegraded bool    `json:"only_show_if_degraded"`
}

type incidentUpdate struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	Body       string `json:"body"`
	IncidentID string `json:"incident_id"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
	DisplayAt  string `json:"display_at"`
}

type incident struct {
	ID              string           `json:"id"`
	Name            string           `json:"name"`
	Status          string           `json:"status"`
	CreatedAt       string           `json:"created_at"`
	UpdatedAt       string           `json:"updated_at"`
	MonitoringAt    *string          `json:"monitoring_at"`
	ResolvedAt      *string          `json:"resolved_at"`
	Impact          string           `json:"impact"`
	Shortlink       string           `json:"shortlink"`
	StartedAt       string           `json:"started_at"`
	PageID          string           `json:"page_id"`
	IncidentUpdates []incidentUpdate `json:"incident_updates"`
	Components      []component      `json:"components"`
}

// statusPage answers the Statuspage JSON. It never looks at credentials.
func (x *exchange) statusPage() {
	if x.r.Method != http.MethodGet && x.r.Method != http.MethodHead {
		x.w.Header().Set("Allow", "GET, HEAD")
		x.raw(http.StatusMethodNotAllowed, "")
		return
	}
	now := time.Now().UTC()
	ts := now.Format("2006-01-02T15:04:05.000Z")
	since := now.Add(-47 * time.Minute).Format("2006-01-02T15:04:05.000Z")
	created := "2023-07-11T18:04:27.921Z"
	page := statusPage{statusPageID, "Claude", "https://status.claude.com", "Etc/UTC", ts}
	apiStatus := "operational"
	overall := statusIndicator{"none", "All Systems Operational"}
	if x.api.opts.Scenario == Outage {
		apiStatus = "major_outage"
		overall = statusIndicator{"major", "Partial System Outage"}
	}
	comp := func(id, name, status string, pos int) component {
		return component{ID: id, Name: name, Status: status, CreatedAt: created, UpdatedAt: ts,
			Position: pos, Showcase: true, PageID: statusPageID}
	}
	comps := []component{
		comp("rwppv331jlwc", "claude.ai", "operational", 1),
		comp("0qbwn08sd68x", "platform.claude.com", "operational", 2),
		comp("k8w3r7k2jy8m", APIComponent, apiStatus, 3),
		comp("yyzkbfz2thpt", "Claude Code", "operational", 4),
	}
	incidents := []incident{}
	if x.api.opts.Scenario == Outage {
		const id = "z3k9q7w1m2xv"
		incidents = append(incidents, incident{
			ID: id, Name: "Elevated errors on the Claude API", Status: "investigating",
			CreatedAt: since, UpdatedAt: ts, Impact: "major",
			Shortlink: "https://stspg.io/fx401demo", StartedAt: since, PageID: statusPageID,
			IncidentUpdates: []incidentUpdate{{
				ID: "p5t8v2n6c4hd", Status: "investigating", IncidentID: id,
				Body:      "Requests to the API are failing with 500 and 529 errors. We are working on it.",
				CreatedAt: since, UpdatedAt: since, DisplayAt: since,
			}},
			Components: []component{comps[2]},
		})
	}
	h := x.w.Header()
	h.Set("Cache-Control", "max-age=0, private, must-revalidate")
	if x.r.URL.Path == statusPath {
		x.statusJSON(struct {
			Page   statusPage      `json:"page"`
			Status statusIndicator `json:"status"`
		}{page, overall})
		return
	}
	x.statusJSON(struct {
		Page                  statusPage      `json:"page"`
		Components            []component     `json:"components"`
		Incidents             []incident      `json:"incidents"`
		ScheduledMaintenances []any           `json:"scheduled_maintenances"`
		Status                statusIndicator `json:"status"`
	}{page, comps, incidents, []any{}, overall})
}

func (x *exchange) statusJSON(v any) {
	x.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	b, err := marshal(v)
	if err != nil {
		http.Error(x.w, "stub: "+err.Error(), http.StatusInternalServerError)
		return
	}
	x.raw(http.StatusOK, string(b))
}
