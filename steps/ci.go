package steps

import (
	"fmt"

	"github.com/fix401/fix401/probe"
)

// CISecretUnavailable: no credential anywhere, and the CI run is one its
// service gives no secrets to (a fork's pull request, Dependabot, a
// GitLab ref that is not protected). An empty key variable counts as no
// credential: that is what an unavailable secret turns into.
const CISecretUnavailable Code = "ci_secret_unavailable"

// ruleCISecret is no_key, explained by the CI run: the key is not missing
// from the setup, the service held it back from this run.
func ruleCISecret(r *probe.Report) (Diagnosis, bool) {
	ci := r.CI
	if ci == nil || ci.Withheld == "" {
		return Diagnosis{}, false
	}
	if _, none := ruleNoKey(r); !none {
		return Diagnosis{}, false
	}
	d := Diagnosis{Code: CISecretUnavailable}
	switch ci.Withheld {
	case probe.WithheldFork:
		d.Title = "This run is a pull request from a fork: GitHub gives it no secrets"
		if ci.HeadRepo != "" {
			d.Title = fmt.Sprintf("This run is a pull request from the fork %s: GitHub gives it no secrets", ci.HeadRepo)
		}
		d.Fix = fmt.Sprintf("Secrets reach pull requests from branches of %s only: push the branch there, "+
			"or skip this step for forks with `if: github.event.pull_request.head.repo.fork == false`. "+
			"Do not switch to pull_request_target to get the key: the fork's code would run with it.", orRepo(ci.Repo))
	case probe.WithheldDependabot:
		d.Title = "This run was started by Dependabot: GitHub gives it only Dependabot secrets, and none holds a Claude key"
		d.Fix = fmt.Sprintf("Add the key as a Dependabot secret of %s (Settings → Secrets and variables → Dependabot, "+
			"same name as the Actions secret), or skip this step with `if: github.actor != '%s'`.", orRepo(ci.Repo), probe.Dependabot)
	case probe.WithheldForkMR:
		d.Title = fmt.Sprintf("This merge request pipeline runs in the fork %s: it has none of %s's CI/CD variables",
			orFork(ci.HeadRepo), orRepo(ci.Repo))
		d.Fix = fmt.Sprintf("Run the pipeline in %s (its Pipelines tab on the merge request, by a maintainer), "+
			"or give the fork its own key as a CI/CD variable.", orRepo(ci.Repo))
	case probe.WithheldUnprotected:
		d.Title = "This pipeline runs on a ref that is not protected: GitLab withholds protected variables from it"
		if ci.Ref != "" {
			d.Title = fmt.Sprintf("This pipeline runs on %s, which is not protected: GitLab withholds protected variables from it", ci.Ref)
		}
		d.Fix = "Protect the branch (Settings → Repository → Protected branches), or clear \"Protect variable\" " +
			"on the key's variable (Settings → CI/CD → Variables) if every branch may use it."
	default:
		return Diagnosis{}, false
	}
	return d, true
}

// ruleNoKeyCI is no_key, whose fix in CI says where the service keeps
// secrets: there is no wizard to paste a key into there.
func ruleNoKeyCI(r *probe.Report) (Diagnosis, bool) {
	d, ok := ruleNoKey(r)
	if !ok || r.CI == nil {
		return d, ok
	}
	switch r.CI.Service {
	case probe.CIGitHub:
		d.Fix = fmt.Sprintf("Add the key as a secret of %s (Settings → Secrets and variables → Actions) and pass it to this step: "+
			"`env: ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}`.", orRepo(r.CI.Repo))
	case probe.CIGitLab:
		d.Fix = fmt.Sprintf("Add ANTHROPIC_API_KEY as a masked CI/CD variable of %s (Settings → CI/CD → Variables); "+
			"a protected variable reaches protected branches and tags only.", orRepo(r.CI.Repo))
	}
	return d, ok
}

func orRepo(s string) string {
	if s == "" {
		return "the repository"
	}
	return s
}

func orFork(s string) string {
	if s == "" {
		return "of the merge request"
	}
	return s
}

// ciNoKeyWords is why the checklist's credentials row found no key, when
// the CI run holds secrets back; empty otherwise.
func ciNoKeyWords(r *probe.Report) string {
	if r.CI == nil {
		return ""
	}
	switch r.CI.Withheld {
	case probe.WithheldFork:
		return "no key: a fork's pull request gets no secrets"
	case probe.WithheldDependabot:
		return "no key: Dependabot's run gets only Dependabot secrets"
	case probe.WithheldForkMR:
		return "no key: the fork's pipeline has none of the parent's variables"
	case probe.WithheldUnprotected:
		return "no key: an unprotected ref gets no protected variables"
	}
	return ""
}

// JSONCI is the CI run in `check --json`: service github or gitlab, the
// event (GitHub's event name, GitLab's pipeline source), the repository
// and ref, withheld (why the run gets no secrets: fork_pull_request,
// dependabot, fork_merge_request, unprotected_ref; empty when nothing
// withholds them), and, when GitHub's event file could not be read, why
// (event_note: then fork or not is unknown).
type JSONCI struct {
	Service           string `json:"service"`
	Event             string `json:"event"`
	Repository        string `json:"repository"`
	Ref               string `json:"ref"`
	Withheld          string `json:"withheld"`
	Fork              bool   `json:"fork"`
	HeadRepository    string `json:"head_repository,omitempty"`
	Dependabot        bool   `json:"dependabot"`
	PullRequestTarget bool   `json:"pull_request_target"`
	Unprotected       bool   `json:"unprotected_ref"`
	EventNote         string `json:"event_note,omitempty"`
}

func jsonCI(r *probe.Report) *JSONCI {
	ci := r.CI
	if ci == nil {
		return nil
	}
	return &JSONCI{Service: ci.Service, Event: ci.Event, Repository: ci.Repo, Ref: ci.Ref, Withheld: ci.Withheld,
		Fork: ci.Fork, HeadRepository: ci.HeadRepo, Dependabot: ci.Dependabot, PullRequestTarget: ci.PullRequestTarget,
		Unprotected: ci.Unprotected, EventNote: ci.EventNote}
}
