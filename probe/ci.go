package probe

// The CI context: which CI service runs fix401, and whether this run is
// one the service gives no secrets to. Read from the variables of Env
// and, on GitHub Actions, the event file they name; nothing is written,
// nothing is run.

import (
	"encoding/json"
	"fmt"
	"strings"
)

// CheckCI is the check of the CI context.
const CheckCI = "ci.context"

// CI services fix401 knows.
const (
	CIGitHub = "github" // GitHub Actions
	CIGitLab = "gitlab" // GitLab CI/CD
)

// Why a CI run gets no secrets (CI.Withheld).
const (
	// WithheldFork: a GitHub pull request from a fork; GitHub passes it
	// no secrets (only a read-only GITHUB_TOKEN).
	WithheldFork = "fork_pull_request"
	// WithheldDependabot: a GitHub run started by Dependabot; it gets the
	// Dependabot secrets only, not the Actions secrets.
	WithheldDependabot = "dependabot"
	// WithheldForkMR: a GitLab merge request pipeline from a fork that
	// runs in the fork's project, which has none of the parent's CI/CD
	// variables.
	WithheldForkMR = "fork_merge_request"
	// WithheldUnprotected: a GitLab pipeline on a ref that is not
	// protected; GitLab withholds protected variables from it.
	WithheldUnprotected = "unprotected_ref"
)

// MaxEventFile is how many bytes of GitHub's event file fix401 reads. A
// pull request's payload is tens of KiB; a larger file is not read.
const MaxEventFile = 4 << 20

// maxCIValue is the longest variable value kept (a branch or repository
// name); longer ones are cut.
const maxCIValue = 200

// Dependabot is the actor name of Dependabot's runs on GitHub.
const Dependabot = "dependabot[bot]"

// CI is the CI run fix401 is part of. Every string is sanitized and cut
// to a bounded length; none is a secret.
type CI struct {
	Service string // CIGitHub or CIGitLab
	Event   string // GITHUB_EVENT_NAME, or GitLab's CI_PIPELINE_SOURCE
	Repo    string // GITHUB_REPOSITORY, or CI_PROJECT_PATH
	Ref     string // the branch or ref the run is for

	// Withheld says why this run gets no secrets (Withheld…); empty when
	// nothing withholds them.
	Withheld string
	// Fork: the run is for a pull (merge) request from a fork; HeadRepo
	// names the fork when known.
	Fork     bool
	HeadRepo string
	// Dependabot: Dependabot started the run (GITHUB_ACTOR or
	// GITHUB_TRIGGERING_ACTOR).
	Dependabot bool
	// PullRequestTarget: a GitHub pull_request_target run, which has the
	// base repository's secrets but whose OIDC token Claude's GitHub
	// action cannot exchange for claude_code_oauth_token.
	PullRequestTarget bool
	// Unprotected: GitLab says the ref is not protected
	// (CI_COMMIT_REF_PROTECTED=false).
	Unprotected bool
	// EventNote says why GitHub's event file could not be read; empty
	// when it was read or there is none.
	EventNote string
}

// DetectCI reads the CI context from env's variables, and on GitHub
// Actions the event file GITHUB_EVENT_PATH names (at most MaxEventFile
// bytes, never a FIFO or a device). Nil outside a CI service fix401 knows.
func DetectCI(env *Env) *CI {
	if env == nil {
		return nil
	}
	v := env.Vars
	switch {
	case v["GITHUB_ACTIONS"] == "true":
		return detectGitHub(v)
	case v["GITLAB_CI"] == "true":
		return detectGitLab(v)
	}
	return nil
}

// ciValue is a variable's value as CI keeps it: sanitized, redacted, on
// one line and bounded.
func ciValue(s string) string {
	s = strings.Join(strings.Fields(Redact(s)), " ")
	if len(s) > maxCIValue {
		s = strings.ToValidUTF8(s[:maxCIValue], "") + "…"
	}
	return s
}

// prEvents are the GitHub events whose runs for a fork's pull request get
// no secrets. pull_request_target runs in the base repository, with its
// secrets.
var prEvents = map[string]bool{"pull_request": true, "pull_request_review": true, "pull_request_review_comment": true}

func detectGitHub(v map[string]string) *CI {
	ci := &CI{Service: CIGitHub, Event: ciValue(v["GITHUB_EVENT_NAME"]), Repo: ciValue(v["GITHUB_REPOSITORY"]),
		Ref: ciValue(v["GITHUB_HEAD_REF"])}
	if ci.Ref == "" {
		ci.Ref = ciValue(v["GITHUB_REF_NAME"])
	}
	ci.Dependabot = v["GITHUB_ACTOR"] == Dependabot || v["GITHUB_TRIGGERING_ACTOR"] == Dependabot
	ci.PullRequestTarget = ci.Event == "pull_request_target"
	if prEvents[ci.Event] || ci.PullRequestTarget {
		head, note := readPullRequest(v["GITHUB_EVENT_PATH"], v["GITHUB_REPOSITORY"])
		ci.EventNote = ciValue(note)
		if head != nil {
			ci.Fork, ci.HeadRepo = head.fork, ciValue(head.name)
		}
	}
	switch {
	case ci.Fork && prEvents[ci.Event]:
		ci.Withheld = WithheldFork
	case ci.Dependabot && !ci.PullRequestTarget:
		ci.Withheld = WithheldDependabot
	}
	return ci
}

// prHead is the head of a pull request: the repository its branch is in.
type prHead struct {
	name string
	fork bool
}

// ghEvent is the part of a GitHub event payload fix401 reads.
type ghEvent struct {
	PullRequest *struct {
		Head struct {
			Repo *ghRepo `json:"repo"`
		} `json:"head"`
		Base struct {
			Repo *ghRepo `json:"repo"`
		} `json:"base"`
	} `json:"pull_request"`
}

type ghRepo struct {
	FullName string `json:"full_name"`
	Fork     bool   `json:"fork"`
}

// readPullRequest reads the pull request of the event file at path: nil
// with a note when it cannot be read or holds none. The head is a fork's
// when GitHub says so, or when its repository is not repo (the base
// repository when repo is empty), or when it is gone: only a fork can be
// deleted while the base repository stays.
func readPullRequest(path, repo string) (*prHead, string) {
	if path == "" {
		return nil, "GITHUB_EVENT_PATH is not set"
	}
	b, err := ReadRegular(path, MaxEventFile+1)
	switch {
	case err != nil:
		return nil, "the event file (GITHUB_EVENT_PATH) cannot be read: " + Redact(err.Error())
	case len(b) > MaxEventFile:
		return nil, fmt.Sprintf("the event file (GITHUB_EVENT_PATH) is larger than %d MiB and was not read", MaxEventFile>>20)
	}
	var ev ghEvent
	if err := json.Unmarshal(b, &ev); err != nil {
		return nil, "the event file (GITHUB_EVENT_PATH) is not JSON"
	}
	pr := ev.PullRequest
	if pr == nil {
		return nil, "the event file (GITHUB_EVENT_PATH) holds no pull request"
	}
	h := pr.Head.Repo
	if h == nil {
		return &prHead{fork: true}, ""
	}
	if repo == "" && pr.Base.Repo != nil {
		repo = pr.Base.Repo.FullName
	}
	fork := h.Fork || (h.FullName != "" && repo != "" && !strings.EqualFold(h.FullName, repo))
	return &prHead{name: h.FullName, fork: fork}, ""
}

func detectGitLab(v map[string]string) *CI {
	ci := &CI{Service: CIGitLab, Event: ciValue(v["CI_PIPELINE_SOURCE"]), Repo: ciValue(v["CI_PROJECT_PATH"]),
		Ref: ciValue(v["CI_COMMIT_REF_NAME"])}
	if ci.Ref == "" {
		ci.Ref = ciValue(v["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"])
	}
	ci.Unprotected = v["CI_COMMIT_REF_PROTECTED"] == "false"
	src, target := v["CI_MERGE_REQUEST_SOURCE_PROJECT_ID"], v["CI_MERGE_REQUEST_PROJECT_ID"]
	if target == "" {
		target = v["CI_PROJECT_ID"]
	}
	ci.Fork = src != "" && target != "" && src != target
	if ci.Fork {
		ci.HeadRepo = ciValue(v["CI_MERGE_REQUEST_SOURCE_PROJECT_PATH"])
		if ci.Repo == "" || v["CI_PROJECT_ID"] == src {
			// The pipeline runs in the fork: the project it names is the
			// merge request's target.
			ci.Repo = ciValue(v["CI_MERGE_REQUEST_PROJECT_PATH"])
		}
	}
	switch {
	case ci.Fork && v["CI_PROJECT_ID"] == src:
		ci.Withheld = WithheldForkMR
	case ci.Unprotected:
		ci.Withheld = WithheldUnprotected
	}
	return ci
}

// ServiceName is the CI service in words: "GitHub Actions", "GitLab CI".
func (ci *CI) ServiceName() string {
	switch ci.Service {
	case CIGitHub:
		return "GitHub Actions"
	case CIGitLab:
		return "GitLab CI"
	}
	return ci.Service
}

// noCredential reports whether the run found no credential at all that a
// client would use: no key in use and no federation setup that wins.
func (r *Report) noCredential() bool {
	return r.ActiveKey() == nil && !r.FederationWins()
}

// checkCI is one line about the CI run: a warning when it gets no
// secrets and no credential was found, or when it is a
// pull_request_target run; a pass otherwise.
func (r *Report) checkCI() Result {
	ci := r.CI
	res := Result{ID: CheckCI, Status: Pass}
	where := ci.ServiceName()
	run := ci.Event
	if run == "" {
		run = "a run"
	}
	if ci.Repo != "" {
		run += " in " + ci.Repo
	}
	if ci.Ref != "" {
		run += " (" + ci.Ref + ")"
	}
	fork := "a fork"
	if ci.HeadRepo != "" {
		fork = "the fork " + ci.HeadRepo
	}
	switch ci.Withheld {
	case WithheldFork:
		res.Title = fmt.Sprintf("%s: a pull request from %s, which GitHub gives no secrets", where, fork)
		res.Detail = "Unless the repository is private and set to send secrets to fork pull requests, every ${{ secrets.… }} is empty here."
	case WithheldDependabot:
		res.Title = fmt.Sprintf("%s: %s started by Dependabot, which gets only Dependabot secrets", where, run)
		res.Detail = "GitHub Actions secrets are empty in Dependabot's runs, re-runs included."
	case WithheldForkMR:
		parent := "the parent project"
		if ci.Repo != "" {
			parent = ci.Repo
		}
		res.Title = fmt.Sprintf("%s: a merge request pipeline from %s, run in the fork, without %s's CI/CD variables", where, fork, parent)
	case WithheldUnprotected:
		res.Title = fmt.Sprintf("%s: %s on an unprotected ref, which gets no protected variables", where, run)
	default:
		res.Title = fmt.Sprintf("%s: %s; nothing withholds secrets from it", where, run)
	}
	if ci.Withheld != "" && r.noCredential() {
		res.Status = Warn
	}
	if ci.PullRequestTarget {
		res.Status = Warn
		res.Title = fmt.Sprintf("%s: %s, which runs with the base repository's secrets", where, run)
		res.Detail = "Claude's GitHub action cannot get claude_code_oauth_token through GitHub's OIDC here; pass an API key instead. " +
			"Never build or run the pull request's code in this job: it would run with your secrets."
	}
	if ci.EventNote != "" && ci.Withheld == "" && !ci.PullRequestTarget {
		// Without the event, a fork's pull request cannot be told apart.
		res.Title = fmt.Sprintf("%s: %s; whether it comes from a fork is unknown: %s", where, run, ci.EventNote)
		if r.noCredential() {
			res.Status = Warn
		}
	}
	return res
}

// emptySecretFix is env.empty's fix in a CI run that does not withhold
// secrets: the secret the variable maps is not defined where this run
// reads secrets.
func (ci *CI) emptySecretFix() string {
	switch ci.Service {
	case CIGitHub:
		return "The workflow maps a secret that is not set for this repository or its environment: add it under Settings → Secrets and variables → Actions, with the name the workflow uses."
	case CIGitLab:
		return "Add the key as a CI/CD variable (Settings → CI/CD → Variables) of this project or its group, with the name the job uses, and an environment scope that includes this job."
	}
	return ""
}
