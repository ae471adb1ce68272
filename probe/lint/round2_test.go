package lint

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

const (
	okHeaders = `-H "x-api-key: $ANTHROPIC_API_KEY" -H "anthropic-version: 2023-06-01" -H "content-type: application/json"`
	docsCurl  = "curl https://api.anthropic.com/v1/messages \\\n  " + okHeaders + " \\\n  -d '{\n    \"model\": \"%s\",\n    \"max_tokens\": 16,\n    \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]\n  }'\n"
)

// TestMarkdown: every fenced block is linted in its language, with its own
// line numbers; prose is not; the docs' multi-line curl is read whole.
func TestMarkdown(t *testing.T) {
	two := "# Setup\n\nDon't forget the key.\n\n```bash\n" + fmt.Sprintf(docsCurl, "claude-opus-5-5") + "```\n\nThen:\n\n```sh\n" +
		fmt.Sprintf(docsCurl, "claude-3-opus-20240229") + "```\n"
	tests := []struct {
		name, src string
		want      []string // id@line
	}{
		{"second block", two, []string{"model.retired@21"}},
		{"python block", "Intro\n\n```python\nimport anthropic\nclient = anthropic.Anthropic(api_key=\"YOUR_API_KEY\")\n```\n", []string{"auth.placeholder@5"}},
		{"unlabelled block sniffed", "```\ncurl https://api.anthropic.com/v1/models -H 'x-api-key: $ANTHROPIC_API_KEY' -H \"anthropic-version: 2023-06-01\"\n```\n", []string{"auth.env_unexpanded@2"}},
		{"console transcript", "```console\n$ curl https://api.anthropic.com/v1/models -H \"x-api-key: $K\"\n{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}\n```\n", []string{"version.missing@2"}},
		{"response block", "```json\n{\"type\": \"message\", \"role\": \"assistant\", \"model\": \"claude-3-opus-20240229\", \"stop_reason\": \"end_turn\"}\n```\n", []string{"input.no_request@0"}},
		{"prose curl", "It fails with:\n\ncurl https://api.anthropic.com/v1/models -H \"x-api-key: $K\"\n\nany idea?\n", []string{"version.missing@3"}},
		{"tilde fence and list indent", "1. Run:\n   ~~~bash\n   curl https://api.anthropic.com/v1/models -H \"x-api-key: $K\"\n   ~~~\n", []string{"version.missing@3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := lintAt("README.md", []byte(tt.src), testNow)
			var got []string
			for _, f := range r.Findings {
				got = append(got, fmt.Sprintf("%s@%d", f.ID, f.Line))
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v\n%+v", got, tt.want, r.Findings)
			}
		})
	}
}

// TestDocsCurlAlone: the docs' form as a .curl file or on stdin is linted
// fully, not reported as an unclosed quote.
func TestDocsCurlAlone(t *testing.T) {
	for _, name := range []string{"cmd.curl", "-", "notes.txt"} {
		r := lintAt(name, []byte(fmt.Sprintf(docsCurl, "claude-3-opus-20240229")), testNow)
		if got := ids(r); !slices.Equal(got, []string{IDModelRetired}) {
			t.Errorf("%s: got %v", name, r.Findings)
		}
	}
	// a command with its output pasted under it
	src := fmt.Sprintf(docsCurl, "claude-3-opus-20240229") + "{\n  \"type\": \"message\",\n  \"model\": \"claude-3-opus-20240229\"\n}\n"
	r := lintAt("run.sh", []byte(src), testNow)
	if got := ids(r); !slices.Equal(got, []string{IDModelRetired}) || r.Findings[0].Line != 4 {
		t.Errorf("pasted output: got %+v", r.Findings)
	}
}

// TestNotebook: code cells are read in order with the .ipynb's line
// numbers; outputs are not; ! lines are shell.
func TestNotebook(t *testing.T) {
	nb := `{
 "cells": [
  {"cell_type": "markdown", "source": ["# model \"claude-2.0\" in prose"]},
  {"cell_type": "code", "source": [
    "import anthropic\n",
    "client = anthropic.Anthropic(api_key=\"your_api_key_here\")\n",
    "MODEL = \"claude-3-haiku-20240307\""
  ], "outputs": [{"text": ["{\"model\": \"claude-2.1\"}"]}]},
  {"cell_type": "code", "source": ["!curl https://api.anthropic.com/v1/models -H 'x-api-key: $ANTHROPIC_API_KEY' -H \"anthropic-version: 2023-06-01\""]}
 ],
 "metadata": {"kernelspec": {"language": "python"}},
 "nbformat": 4
}`
	r := lintAt("demo.ipynb", []byte(nb), testNow)
	var got []string
	for _, f := range r.Findings {
		got = append(got, fmt.Sprintf("%s@%d", f.ID, f.Line))
	}
	want := []string{"auth.placeholder@6", "model.retired@7", "auth.env_unexpanded@9"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v\n%+v", got, want, r.Findings)
	}
	if r.Input.Language != "notebook" {
		t.Errorf("language %q", r.Input.Language)
	}
	bad := lintAt("broken.ipynb", []byte(`{"cells": [`), testNow)
	if !slices.Contains(ids(bad), IDInputParse) {
		t.Errorf("a broken notebook: %+v", bad.Findings)
	}
	deep := lintAt("deep.ipynb", []byte(`{"cells": [{"outputs": `+strings.Repeat("[", 10000)+`}]}`), testNow)
	if !slices.Contains(ids(deep), IDInputParse) {
		t.Errorf("nesting past the bound: %+v", deep.Findings)
	}
}

// TestYAML: workflows (run steps, env: blocks, action inputs) and compose
// files (environment:, env_file:).
func TestYAML(t *testing.T) {
	runSevCases(t, []sevCase{
		{"env not expanded", "ci.yml", "on: push\njobs:\n  a:\n    runs-on: x\n    env:\n      ANTHROPIC_API_KEY: $ANTHROPIC_API_KEY\n",
			map[string]Severity{IDAuthEnvUnexpanded: Error}},
		{"secret, singular", "ci.yml", "on: push\njobs:\n  a:\n    steps:\n      - run: echo\n        env:\n          ANTHROPIC_API_KEY: ${{ secret.ANTHROPIC_API_KEY }}\n",
			map[string]Severity{IDAuthEnvUnexpanded: Error}},
		{"secrets wiring is fine", "ci.yml", "on: push\njobs:\n  a:\n    steps:\n      - uses: anthropics/claude-code-action@v1\n        with:\n          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}\n          claude_args: |\n            --model claude-opus-5-5\n", nil},
		{"another provider's secret", "ci.yml", "on: push\njobs:\n  a:\n    steps:\n      - uses: anthropics/claude-code-action@v1\n        with:\n          anthropic_api_key: ${{ secrets.OPENAI_API_KEY }}\n",
			map[string]Severity{IDAuthKeyKind: Warn}},
		{"retired model input", "ci.yml", "on: push\njobs:\n  a:\n    steps:\n      - uses: anthropics/claude-code-action@v1\n        with:\n          claude_args: --model claude-3-opus-20240229 --max-turns 5\n",
			map[string]Severity{IDModelRetired: Error}},
		{"run step", "ci.yml", "on: push\njobs:\n  a:\n    steps:\n      - name: call\n        run: |\n          curl https://api.anthropic.com/v1/models \\\n            -H \"x-api-key: $ANTHROPIC_API_KEY\"\n",
			map[string]Severity{IDVersionMissing: Error}},
		{"commented model", "ci.yml", "on: push\njobs:\n  a:\n    steps:\n      - uses: anthropics/claude-code-action@v1\n        with:\n          # model: claude-3-opus-20240229\n          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}\n", nil},
		{"compose blanks env_file", "docker-compose.yml", "services:\n  app:\n    env_file:\n      - ./app/.env\n    environment:\n      - ANTHROPIC_API_KEY=${ANTHROPIC_API_KEY:-}\n",
			map[string]Severity{IDAuthMissing: Warn}},
		{"compose, map form", "compose.yaml", "services:\n  app:\n    env_file: secrets.env\n    environment:\n      ANTHROPIC_API_KEY: ${ANTHROPIC_API_KEY}\n",
			map[string]Severity{IDAuthMissing: Warn}},
		{"compose reads the same .env", "compose.yaml", "services:\n  app:\n    env_file:\n      - .env\n    environment:\n      - ANTHROPIC_API_KEY=${ANTHROPIC_API_KEY}\n", nil},
		{"compose, required variable", "compose.yaml", "services:\n  app:\n    env_file: app.env\n    environment:\n      - ANTHROPIC_API_KEY=${ANTHROPIC_API_KEY:?set it}\n", nil},
		{"compose http default", "compose.yaml", "services:\n  app:\n    environment:\n      - ANTHROPIC_BASE_URL=${ANTHROPIC_BASE_URL:-http://proxy.internal:8080}\n",
			map[string]Severity{IDEndpointInsecure: Error}},
		{"config model", "config.yaml", "llm:\n  provider: anthropic\n  model: claude-3-5-sonnet-20241022\n", map[string]Severity{IDModelRetired: Error}},
	})
}

// TestProviderBranches: code for several providers gets findings only on
// the branch that calls Anthropic.
func TestProviderBranches(t *testing.T) {
	js := `export async function ask(provider, prompt) {
  if (provider === "openai") {
    const r = await fetch("https://api.openai.com/v1/chat/completions", {
      method: "POST",
      headers: { Authorization: ` + "`Bearer ${process.env.OPENAI_API_KEY}`" + `, "Content-Type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", messages: [] }),
    });
    return r.json();
  }
  const r = await fetch("https://api.anthropic.com/v1/messages", {
    method: "POST",
    headers: { "x-api-key": process.env.ANTHROPIC_API_KEY, "content-type": "application/json" },
    body: JSON.stringify({ model: "%s", max_tokens: 64, messages: [] }),
  });
  return r.json();
}
`
	py := `import os, requests

def openai_call(prompt):
    headers = {"Authorization": f"Bearer {os.environ['OPENAI_API_KEY']}"}
    return requests.post("https://api.openai.com/v1/chat/completions", headers=headers, json={"model": "gpt-4o-mini"})

def claude_call(prompt):
    headers = {"x-api-key": os.environ["ANTHROPIC_API_KEY"], "anthropic-version": "2023-06-01"}
    return requests.post("https://api.anthropic.com/v1/messages", headers=headers, json={"model": "%s"})
`
	runSevCases(t, []sevCase{
		{"js, good", "llm.js", fmt.Sprintf(js, "claude-opus-5-5"), map[string]Severity{IDVersionMissing: Warn}},
		{"js, retired on the Anthropic branch", "llm.js", fmt.Sprintf(js, "claude-2.1"), map[string]Severity{IDVersionMissing: Warn, IDModelRetired: Error}},
		{"python, good", "llm.py", fmt.Sprintf(py, "claude-opus-5-5"), nil},
		{"python, unknown claude id", "llm.py", fmt.Sprintf(py, "claude-opus-9"), map[string]Severity{IDModelUnknown: Info}},
		{"openai only", "gpt.py", "import requests\nrequests.post(\"https://api.openai.com/v1/chat/completions\", headers={\"Authorization\": \"Bearer x\"}, json={\"model\": \"gpt-4o\"})\n",
			map[string]Severity{IDInputNoRequest: Info}},
		{"openai url with claude intent", "bad.py", "import requests\nrequests.post(\"https://api.openai.com/v1/chat/completions\", headers={\"anthropic-version\": \"2023-06-01\"}, json={\"model\": \"claude-opus-5-5\"})\n",
			map[string]Severity{IDEndpointWrong: Error}},
		{"R fragment is no model id", "a.R", "library(httr)\nid <- paste0(\"claude-\", version)\nPOST(\"https://api.anthropic.com/v1/messages\", add_headers(\"x-api-key\" = Sys.getenv(\"ANTHROPIC_API_KEY\"), \"anthropic-version\" = \"2023-06-01\", \"content-type\" = \"application/json\"), body = list(model = id))\n", nil},
	})
}

// TestKeysThroughVariables: placeholders, empty keys and paths are followed
// from where they are assigned to where they are passed.
func TestKeysThroughVariables(t *testing.T) {
	runSevCases(t, []sevCase{
		{"placeholder variable", "a.py", "import anthropic\nKEY = \"your-key-here\"\nc = anthropic.Anthropic(api_key=KEY)\n", map[string]Severity{IDAuthPlaceholder: Error}},
		{"placeholder with a space", "a.py", "import anthropic\nc = anthropic.Anthropic(api_key=\"API KEY\")\n", map[string]Severity{IDAuthPlaceholder: Error}},
		{"variable name as the key", "a.py", "import anthropic\nc = anthropic.Anthropic(api_key=\"ANTHROPIC_API_KEY\")\n", map[string]Severity{IDAuthPlaceholder: Error}},
		{"getenv fallback", "a.py", "import anthropic, os\nc = anthropic.Anthropic(api_key=os.getenv(\"ANTHROPIC_API_KEY\", \"your-api-key\"))\n", map[string]Severity{IDAuthPlaceholder: Warn}},
		{"empty fallback is fine", "a.py", "import anthropic, os\nc = anthropic.Anthropic(api_key=os.getenv(\"ANTHROPIC_API_KEY\", \"\"))\n", nil},
		{"go empty key", "a.go", v1Import + "var c = anthropic.NewClient(option.WithAPIKey(\"\"))\n", map[string]Severity{IDAuthMissing: Error}},
		{"go key from env", "a.go", v1Import + "var c = anthropic.NewClient(option.WithAPIKey(os.Getenv(\"ANTHROPIC_API_KEY\")))\n", nil},
		{"config path", "a.ts", "import Anthropic from \"@anthropic-ai/sdk\";\nconst c = new Anthropic({ apiKey: \"./config/anthropic.key\" });\n", map[string]Severity{IDAuthKeyPath: Error}},
		{"php fallback", "a.php", "<?php\nuse Anthropic\\Client;\n$c = new Client(apiKey: getenv('ANTHROPIC_API_KEY') ?: 'my-anthropic-api-key');\n", map[string]Severity{IDAuthPlaceholder: Warn}},
		{"kotlin empty header", "A.kt", "package app\n\nval req = Request.Builder().url(\"https://api.anthropic.com/v1/messages\")\n    .header(\"x-api-key\", \"\")\n    .header(\"anthropic-version\", \"2023-06-01\")\n    .build()\nval client = OkHttpClient()\n", map[string]Severity{IDAuthMissing: Error}},
		{"openai sdk at anthropic, no key", "a.py", "from openai import OpenAI\nc = OpenAI(base_url=\"https://api.anthropic.com/v1/\")\n", map[string]Severity{IDAuthKeyKind: Error}},
		{"openai sdk at anthropic, claude key", "a.py", "import os\nfrom openai import OpenAI\nc = OpenAI(base_url=\"https://api.anthropic.com/v1/\", api_key=os.environ[\"ANTHROPIC_API_KEY\"])\n", nil},
		{"curl placeholder with spaces", "a.curl", `curl https://api.anthropic.com/v1/models -H "x-api-key: YOUR API KEY" -H "anthropic-version: 2023-06-01"`, map[string]Severity{IDAuthPlaceholder: Error}},
	})
}

// TestLanguages: the languages seen in the wild get their endpoint,
// headers, version, models and keys checked, and the right label.
func TestLanguages(t *testing.T) {
	tests := []struct {
		name, src, lang string
		want            map[string]Severity
	}{
		{"a.php", "<?php\n$ch = curl_init('https://api.anthropic.com/v1/messages');\ncurl_setopt($ch, CURLOPT_HTTPHEADER, ['Content-Type: application/json', 'x-api-key: ' . getenv('ANTHROPIC_API_KEY')]);\n",
			"php", map[string]Severity{IDVersionMissing: Warn}},
		{"a.php", "<?php\n$h = ['x-api-key: $ANTHROPIC_API_KEY', 'anthropic-version: 2023-06-01'];\n$ch = curl_init('https://api.anthropic.com/v1/messages');\n",
			"php", map[string]Severity{IDAuthEnvUnexpanded: Error}},
		{"a.R", "library(httr)\nPOST(\"https://api.anthropic.com/v1/messages\", add_headers(\"x-api-key\" = Sys.getenv(\"ANTHROPIC_API_KEY\")), body = list(model = \"claude-3-haiku-20240307\"))\n",
			"r", map[string]Severity{IDVersionMissing: Warn, IDModelRetired: Error}},
		{"Main.java", "package com.example;\n\nimport java.net.http.HttpClient;\n\nclass Main {\n  HttpRequest r = HttpRequest.newBuilder().uri(URI.create(\"https://api.anthropic.com/v1/messages\"))\n    .header(\"x-api-key\", System.getenv(\"ANTHROPIC_API_KEY\")).header(\"anthropic-version\", \"2023-01-02\").build();\n}\n",
			"java", map[string]Severity{IDVersionInvalid: Error}},
		{"a.rb", "require \"net/http\"\nreq = Net::HTTP::Post.new(URI(\"https://api.anthropic.com/v1/messages\"))\nreq[\"x-api-key\"] = ENV[\"ANTHROPIC_API_KEY\"]\nreq[\"anthropic-version\"] = \"2023-06-01\"\nreq[\"content-type\"] = \"application/json\"\n",
			"ruby", nil},
		{"a.cs", "var c = new HttpClient();\nc.DefaultRequestHeaders.Add(\"Authorization\", $\"Bearer {key}\");\nc.DefaultRequestHeaders.Add(\"anthropic-version\", \"2023-06-01\");\nawait c.PostAsync(\"https://api.anthropic.com/v1/messages\", body);\n",
			"csharp", map[string]Severity{IDAuthBearer: Warn}},
		{"main.rs", "let c = reqwest::Client::new();\nc.post(\"http://api.anthropic.com/v1/messages\").header(\"x-api-key\", key).header(\"anthropic-version\", \"2023-06-01\");\n",
			"rust", map[string]Severity{IDEndpointInsecure: Error}},
		{"a.swift", "var r = URLRequest(url: URL(string: \"https://api.anthropic.com/v1/messages\")!)\nr.setValue(\"sk-ant-api03-xxxx\", forHTTPHeaderField: \"x-api-key\")\n",
			"swift", map[string]Severity{IDVersionMissing: Warn, IDAuthPlaceholder: Error}},
		{"a.ps1", "$h = @{ \"x-api-key\" = $env:ANTHROPIC_API_KEY; \"anthropic-version\" = \"2023-06-01\" }\nInvoke-RestMethod -Uri \"https://api.anthropic.com/v1/messages\" -Headers $h -Body (@{model = \"claude-2.1\"} | ConvertTo-Json)\n",
			"powershell", map[string]Severity{IDModelRetired: Error}},
		{"call.bat", "@echo off\nset ANTHROPIC_API_KEY=your-api-key\ncurl https://api.anthropic.com/v1/models ^\n  -H \"x-api-key: %ANTHROPIC_API_KEY%\" ^\n  -H \"anthropic-version: 2023-06-01\"\n",
			"batch", map[string]Severity{IDAuthPlaceholder: Error}},
		{"a.lua", "local body = '{\"model\": \"claude-2.1\"}'\n",
			"lua", map[string]Severity{IDModelRetired: Error, IDInputUnsupported: Info}},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.lang, func(t *testing.T) {
			r := lintAt(tt.name, []byte(tt.src), testNow)
			if r.Input.Language != tt.lang {
				t.Errorf("language %q, want %q", r.Input.Language, tt.lang)
			}
			got := severities(r)
			want := tt.want
			if want == nil {
				want = map[string]Severity{}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("got %v, want %v\n%+v", got, want, r.Findings)
			}
		})
	}
}

// TestTooLargeStatesTheLimit: the input read is cut at the limit, so its
// length is not the file's; the message states only the limit.
func TestTooLargeStatesTheLimit(t *testing.T) {
	r := Lint("big.py", make([]byte, MaxInput+1))
	if len(r.Findings) != 1 || !strings.Contains(r.Findings[0].Message, "larger than 2 MiB") ||
		strings.Contains(r.Findings[0].Message, fmt.Sprint(MaxInput+1)) {
		t.Fatalf("got %+v", r.Findings)
	}
}

// TestPastedResponse: an API response is not a request.
func TestPastedResponse(t *testing.T) {
	src := `{"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-3-opus-20240229", "content": [], "stop_reason": "end_turn"}`
	for _, name := range []string{"-", "out.json"} {
		r := lintAt(name, []byte(src), testNow)
		if got := ids(r); !slices.Equal(got, []string{IDInputNoRequest}) || !strings.Contains(r.Findings[0].Message, "response") {
			t.Errorf("%s: got %+v", name, r.Findings)
		}
	}
}

// TestPartBounds: an input of many blocks stops at maxParts; nesting stops
// at maxDepth; neither panics.
func TestPartBounds(t *testing.T) {
	block := "```bash\ncurl https://api.anthropic.com/v1/models -H \"x-api-key: $K\"\n```\n"
	r := lintAt("many.md", []byte(strings.Repeat(block, maxParts+50)), testNow)
	if n := len(r.Findings); n == 0 || n > maxParts {
		t.Fatalf("%d findings from %d blocks", n, maxParts+50)
	}
	// a README holding a workflow holding a script holding a heredoc
	nested := "```yaml\non: push\njobs:\n  a:\n    steps:\n      - run: |\n          cat <<EOF\n          ```bash\n          curl x\n          ```\n          EOF\n```\n"
	Lint("nested.md", []byte(nested))
}

func TestLanguageLabel(t *testing.T) {
	for lang, want := range map[string]string{"csharp": "C#", "markdown": "Markdown", "r": "R", "lua": "Lua", "python": "Python", "klingon": "klingon"} {
		if got := LanguageLabel(lang); got != want {
			t.Errorf("LanguageLabel(%q) = %q, want %q", lang, got, want)
		}
	}
}

// TestURLs: plain http hidden in a default, and a URL with no host.
func TestURLs(t *testing.T) {
	runSevCases(t, []sevCase{
		{"http default in curl", "a.curl", `curl "${ANTHROPIC_BASE_URL:-http://gw.example.com}/v1/models" ` + okHeaders, map[string]Severity{IDEndpointInsecure: Error}},
		{"https default in curl", "a.curl", `curl "${ANTHROPIC_BASE_URL:-https://api.anthropic.com}/v1/models" ` + okHeaders, nil},
		{"http default exported", "env.sh", `export ANTHROPIC_BASE_URL="${ANTHROPIC_BASE_URL:-http://gw.example.com}"`, map[string]Severity{IDEndpointInsecure: Error}},
		{"loopback default", "env.sh", `export ANTHROPIC_BASE_URL="${ANTHROPIC_BASE_URL:-http://127.0.0.1:4000}"`, nil},
		{"no host", "a.curl", `curl http:///v1/models ` + okHeaders, nil},
		{"no host in code", "a.py", "import requests\nrequests.post(\"http://\" + host + \"/v1/messages\", headers={\"x-api-key\": k, \"anthropic-version\": \"2023-06-01\"}, json={})\n", nil},
	})
}
