package probe

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
)

// Status reads {StatusURL}/api/v2/summary.json, Statuspage's summary,
// without any credential. It reports the overall indicator, the API's
// component and the open incidents. The answer is always in
// StatusPage.Answer (Label "status"; Shape "json" for a real summary, since
// the status page is not the API); when there is no usable summary only
// the Answer is filled.
func (c *Client) Status(ctx context.Context) *StatusPage {
	u := endpoint(c.status, "/api/v2/summary.json", "/api/v2/summary.json")
	a, body := c.do(ctx, request{label: "status", method: http.MethodGet, url: u})
	sp := &StatusPage{Answer: a}
	if !a.OK() {
		return sp
	}
	var sum struct {
		Status struct {
			Indicator   string `json:"indicator"`
			Description string `json:"description"`
		} `json:"status"`
		Components []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
		} `json:"components"`
		Incidents []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
		} `json:"incidents"`
	}
	if json.Unmarshal(body, &sum) != nil {
		return sp
	}
	sp.Indicator = clean(sum.Status.Indicator, 40)
	sp.Description = clean(sum.Status.Description, 200)
	best := -1
	for i, comp := range sum.Components {
		if strings.Contains(strings.ToLower(comp.Name), "api.anthropic.com") {
			best = i
			break
		}
		if best < 0 && strings.Contains(comp.Name, "API") {
			best = i
		}
	}
	if best >= 0 {
		sp.Component = clean(sum.Components[best].Name, 200)
		sp.APIStatus = clean(sum.Components[best].Status, 40)
	}
	for _, in := range sum.Incidents {
		if in.Status == "resolved" || in.Status == "postmortem" || len(sp.Incidents) == 10 {
			continue
		}
		sp.Incidents = append(sp.Incidents, clean(in.Name, 200))
	}
	return sp
}
