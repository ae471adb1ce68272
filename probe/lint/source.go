package lint

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/fix401/fix401/probe/creds"
)

var (
	reSDKCtor = map[string]fastRe{
		"python":     fast(`\b(?:anthropic\.)?(?:Async)?Anthropic(?:Vertex|Bedrock|Foundry)?\s*\(|\banthropic\.(?:Async)?Client\s*\(`, "Anthropic", "anthropic."),
		"javascript": fast(`\bnew\s+(?:Anthropic|AnthropicVertex|AnthropicBedrock|AnthropicFoundry)\s*\(`, "Anthropic"),
		"go":         fast(`\banthropic\.NewClient\s*\(`, "anthropic.NewClient"),
	}
	rePyImport  = fast(`(?m)^\s*(?:import\s+anthropic\b|from\s+anthropic\b)`, "anthropic")
	reOpenAISDK = fast(`\b(?:Async)?(?:Azure)?OpenAI\s*\(|\bopenai\.NewClient\s*\(`, "OpenAI", "openai.")
	reWrapper   = fast(`\b(?:ChatAnthropic|ChatAnthropicMessages|createAnthropic|AnthropicLLM|AnthropicProvider)\b|\blitellm\b|\bllm\.get_model\b`, "Anthropic", "litellm", "get_model")
	reHTTPCall  = fast(`\b(?:requests|httpx|aiohttp|urllib|urllib3|axios|got|ky|superagent|needle|undici)\b|\bfetch\s*\(|\bhttp\.(?:NewRequest|NewRequestWithContext|Post|Get)\b|\bXMLHttpRequest\b|\bnew\s+Request\s*\(|\bRestTemplate\b|\bWebClient\b|\bcurl_(?:init|setopt|easy_\w+)\b|\bHttp::\w+|\bGuzzleHttp\b|\bwp_remote_post\b|\bstream_context_create\b|\bhttr2?::|\b(?:POST|GET)\s*\(|\breq_perform\b|\bNet::HTTP\b|\bFaraday\b|\bHTTParty\b|\bRestClient\b|\bHttpClient\b|\bHttpRequest\b|\bOkHttpClient\b|\bRequest\.Builder\b|\bHttpURLConnection\b|\bRetrofit\b|\bPostAsync\b|\bSendAsync\b|\breqwest\b|\bureq\b|\bURLRequest\b|\bURLSession\b|\bInvoke-(?:RestMethod|WebRequest)\b|\bDio\s*\(`, "requests", "httpx", "aiohttp", "urllib", "axios", "got", "ky", "superagent", "needle", "undici", "fetch", "http.", "XMLHttpRequest", "Request", "RestTemplate", "WebClient", "curl_", "Http::", "Guzzle", "wp_remote", "stream_context", "httr", "POST", "GET", "req_perform", "Net::HTTP", "Faraday", "HTTParty", "RestClient", "HttpClient", "HttpURLConnection", "Retrofit", "PostAsync", "SendAsync", "reqwest", "ureq", "URLRequest", "URLSession", "Invoke-", "Dio")

	reArgs = map[string]map[string]fastRe{
		"python": {
			"key":   fast(`\bapi_key\s*=`, "api_key"),
			"token": fast(`\bauth_token\s*=`, "auth_token"),
			"base":  fast(`\bbase_url\s*=`, "base_url"),
		},
		"javascript": {
			"key":   fast(`\bapiKey\s*:`, "apiKey"),
			"token": fast(`\bauthToken\s*:`, "authToken"),
			"base":  fast(`\bbaseURL\s*:`, "baseURL"),
		},
		"go": {
			"key":   fast(`\boption\.WithAPIKey\(`, "WithAPIKey"),
			"token": fast(`\boption\.WithAuthToken\(`, "WithAuthToken"),
			"base":  fast(`\boption\.WithBaseURL\(`, "WithBaseURL"),
		},
	}
	// other languages' clients: new ClaudeClient(…), Anthropic::Client.new(…),
	// AnthropicOkHttpClient.builder(), new AnthropicClient(…), PHP's new Client(…)
	reGenericCtor      = fast(`\bnew\s+[\w.\\]*(?:Anthropic|Claude)\w*\s*\(|\b(?:Anthropic|Claude)\w*(?:::Client)?(?:\.new|::new|\.builder|::builder)\s*\(|\bAnthropic::client\s*\(|\bAnthropic\w*Client\s*\(`, "Anthropic", "Claude")
	reGenericCtorLoose = fast(`\bnew\s+Client\s*\(|\bClient::new\s*\(`, "Client")
	reSDKImport        = fast(`(?m)^\s*(?:use\s+Anthropic\\|require\s+["']anthropic["']|import\s+com\.anthropic\.|using\s+Anthropic\b|use\s+anthropic(?:_sdk)?::)`, "Anthropic", "anthropic")
	reDefaultKeyHeader = regexp.MustCompile(`\bdefault_headers\s*=\s*\{[^}]*?` + strRef + `\s*:`)
	reKeyArg           = regexp.MustCompile(`(?i)\b(?:api_?key|x_api_key)\s*(?:=>|:|=)`)
	reChainKey         = fast(`\.\s*(?:with_)?api_?[kK]ey\s*\(`, "pi_key", "piKey", "pi_Key")
	reHdrPairEq        = regexp.MustCompile(strRef + `\s*(?::|\]\s*=|=>|=(?:[^=]|$))`)
	reSetValue         = regexp.MustCompile(`\bsetValue\(\s*()[^,()]*(?:\([^()]*\))?[^,()]*,\s*forHTTPHeaderField:\s*` + strRef + `\s*\)`)
	reConcat           = regexp.MustCompile(`^\s*(?:\.|\+|&|<>)`)
	reHeaderString     = regexp.MustCompile(`(?i)^\s*(x-api-key|authorization|anthropic-version|content-type|anthropic-beta|[a-z-]*api[-_]?key|x-api_key)\s*:\s*(.*)$`)
	reBrowserFlag      = fast(`\bdangerouslyAllowBrowser\s*:\s*true\b`, "dangerouslyAllowBrowser")
	reHdrPair          = regexp.MustCompile(strRef + `\s*(?::|\]\s*=|=>)`)
	reHdrCall          = regexp.MustCompile(`\(\s*` + strRef + `\s*,`)
	reAuthIdent        = fast(`\b[Aa]uthorization\s*:`, "uthorization")
	reEnvSet           = fast(`os\.environ\s*\[\s*`+strRef+`\s*\]\s*=|os\.environ\.setdefault\(\s*`+strRef+`\s*,|os\.Setenv\(\s*`+strRef+`\s*,|process\.env\.([A-Za-z_]\w*)\s*=|process\.env\[\s*`+strRef+`\s*\]\s*=`, "environ", "Setenv", "process.env")
	reModelPos         = fast(`(?i)\bmodel\s*[:=]\s*`+strRef+`|\banthropic\.Model\(\s*`+strRef, "model", "Model", "MODEL")
	reGoModel          = fast(`\banthropic\.(Model[A-Za-z0-9_]+)`, "anthropic.Model")
	reURLInStr         = regexp.MustCompile("(?:https?://|\\$\\{[^}]*\\}|\\{[^}]*\\})[^\\s\"'`<>]*|\\bapi\\.anthropic\\.com[^\\s\"'`<>]*")
	rePublicEnv        = fast(`(?:process\.env|import\.meta\.env)\.((?:NEXT_PUBLIC|VITE|REACT_APP|EXPO_PUBLIC|PUBLIC|NUXT_PUBLIC|GATSBY)_\w*)`, "process.env", "import.meta.env")
	reServerSide       = fast(`\bexport\s+(?:async\s+)?function\s+(?:GET|POST|PUT|DELETE|PATCH)\b|\bgetServerSideProps\b|\bexpress\s*\(|\bcreateServer\s*\(|\brequire\(\s*\x01`, "function", "getServerSideProps", "express", "createServer", "require(")
	reBrowserUse       = fast(`\b(?:document|window|localStorage|sessionStorage|navigator)\.|\bimport\.meta\.env\.VITE_|\buse(?:State|Effect|Ref)\s*\(`, "document.", "window.", "localStorage.", "sessionStorage.", "navigator.", "import.meta.env.VITE_", "useState", "useEffect", "useRef")
	reFetch            = fast(`\bfetch\s*\(`, "fetch")
	reFetchBody        = fast(`\bbody\s*:`, "body")
	reReqData          = fast(`\brequests\.\w+\([^)]*\bdata\s*=`, "requests.")
	reReqJSON          = fast(`\bjson\s*=`, "json")
	rePyBraces         = regexp.MustCompile(`\{[A-Za-z_][\w.\[\]'"]*\}`)
)

// source lints a source file: SDK use, hand-made HTTP requests, keys,
// models and browser exposure. Headers, keys and models are judged by the
// provider of the code around them (see context.go).
func (l *linter) source(text string) {
	lang := l.lang
	s := scan(text, lang)
	family := spec(lang).family
	has := func(v string) bool {
		for i := range s.strs {
			if strings.EqualFold(s.strs[i].val, v) {
				return true
			}
		}
		return false
	}
	hasSub := func(v string) bool {
		for i := range s.strs {
			if strings.Contains(strings.ToLower(s.strs[i].val), v) {
				return true
			}
		}
		return false
	}
	ctor, hasCtor := reSDKCtor[family]
	generic := family == "generic" || family == "go" || family == "text"
	sdk := (hasCtor && ctor.MatchString(s.skel)) || rePyImport.MatchString(s.skel) ||
		hasSub("@anthropic-ai/sdk") || hasSub("github.com/anthropics/anthropic-sdk-go") ||
		generic && (reGenericCtor.MatchString(s.skel) || reSDKImport.MatchString(s.skel) || hasSub("anthropic") && reGenericCtorLoose.MatchString(s.skel))
	openaiSDK := reOpenAISDK.MatchString(s.skel)
	wrapper := reWrapper.MatchString(s.skel) || hasSub("@ai-sdk/anthropic") || hasSub("langchain")
	httpCall := reHTTPCall.MatchString(s.skel)
	beta := hasSub("oauth-2025-04-20")
	if sdk || wrapper {
		l.related = true
	}
	if l.client == nil {
		l.client = sourceClient(family, s, sdk)
	}
	ctx := newCtxIndex(s)

	// URLs
	apiLine, openaiLine, otherHosts := 0, 0, 0
	compatOnly := true
	for i := range s.strs {
		t := &s.strs[i]
		for _, u := range reURLInStr.FindAllString(t.val, -1) {
			if !strings.Contains(u, "://") && !strings.HasPrefix(u, "api.anthropic.com") {
				continue
			}
			tg := parseTarget(reInterp.ReplaceAllString(u, mark+mark))
			switch {
			case tg.anthropic():
				l.related = true
				if apiLine == 0 {
					apiLine = t.line
				}
				p := strings.TrimSuffix(tg.path, "/")
				if p != "/v1/chat/completions" && !(openaiSDK && p == "/v1") {
					compatOnly = false
				}
				if tg.scheme == "http" {
					l.add(IDEndpointInsecure, Error, t.line, "Plain http:// to api.anthropic.com: the key travels unencrypted.", "Use https://.")
				}
				if p != "" && p != "/v1" && !strings.Contains(p, mark) {
					l.checkPath(tg.path, t.line, true, false)
				}
			case wrongHosts[tg.host] && strings.HasPrefix(tg.path, "/v1"):
				l.related = true
				l.add(IDEndpointWrong, Error, t.line, fmt.Sprintf("%s is not the API host.", show(tg.host)), "Use https://api.anthropic.com.")
			case tg.host == "api.openai.com":
				if openaiLine == 0 && ctx.atExcept(t.line, markHost) == provAnthropic {
					openaiLine = t.line
				}
			case tg.scheme == "http" && tg.host != "" && !isLoopback(tg.host) && !tg.dynamicHost && reAPIPath.MatchString(tg.path):
				l.related = true
				l.add(IDEndpointInsecure, Error, t.line, fmt.Sprintf("Plain http:// to %s: the key travels unencrypted.", show(tg.host)), "Use https://.")
			case tg.host != "" && !isLoopback(tg.host) && !tg.dynamicHost:
				otherHosts++
			}
		}
	}
	anthropicHints := sdk || apiLine > 0 || has("anthropic-version") || hasSub("claude-")
	if openaiLine > 0 {
		l.related = true
		l.add(IDEndpointWrong, Error, openaiLine, "This request goes to api.openai.com, not to the Claude API.",
			"Use https://api.anthropic.com/v1/messages (or the Anthropic SDK).")
	}

	// SDK constructor arguments
	keyArgs := map[int]bool{} // skeleton offsets already read as a key
	readKey := func(off int, what string) bool {
		if keyArgs[off] {
			return true
		}
		e, ok := s.exprAfter(off)
		if !ok || ctx.at(e.line) == provOther {
			return false
		}
		keyArgs[off] = true
		l.srcKey(s, e, what)
		return true
	}
	if args := reArgs[family]; args != nil && (sdk || family == "go") {
		spans := [][2]int{{0, len(s.skel)}}
		if family != "go" && hasCtor {
			spans = s.callSpans(ctor)
		}
		what := map[string]string{"python": "api_key", "javascript": "apiKey", "go": "option.WithAPIKey"}[family]
		for _, sp := range spans {
			part := s.skel[sp[0]:sp[1]]
			keyArg := false
			for _, m := range args["key"].FindAllStringIndex(part, -1) {
				keyArg = readKey(sp[0]+m[1], what) || keyArg
			}
			if m := reDefaultKeyHeader.FindStringSubmatchIndex(part); keyArg && family == "python" && m != nil {
				if t := s.tok(part[m[2]:m[3]]); t != nil && strings.EqualFold(strings.TrimSpace(t.val), "x-api-key") {
					// the SDK sends api_key as X-Api-Key and adds the default
					// header beside it: two values of one header
					l.add(IDAuthConflict, Error, t.line, "The key is sent twice: by api_key= and by an x-api-key default header; the API refuses the request.",
						"Drop the x-api-key default header: api_key= sends it already.")
				}
			}
			for _, m := range args["token"].FindAllStringIndex(part, -1) {
				if e, ok := s.exprAfter(sp[0] + m[1]); ok {
					if keyArg && family != "go" {
						l.conflict(e.line, "Both an API key and an auth token are passed.")
					}
					l.srcAuthToken(s, e, beta)
				}
			}
			for _, m := range args["base"].FindAllStringIndex(part, -1) {
				if e, ok := s.exprAfter(sp[0] + m[1]); ok {
					if t := s.single(e); t != nil && !t.interp {
						l.checkBaseURL(t.val, e.line)
					}
				}
			}
		}
	}
	var spans [][2]int
	if hasCtor {
		spans = append(spans, s.callSpans(ctor)...)
	}
	spans = append(spans, s.callSpans(reGenericCtor)...)
	if reSDKImport.MatchString(s.skel) {
		spans = append(spans, s.callSpans(reGenericCtorLoose)...)
	}
	for _, sp := range spans {
		part := s.skel[sp[0]:sp[1]]
		named := false
		for _, m := range reKeyArg.FindAllStringIndex(part, -1) {
			named = readKey(sp[0]+m[1], "API key") || named
		}
		if m := reFirst.FindStringSubmatchIndex(part); !named && m != nil {
			if t := s.tok(part[m[2]:m[3]]); t != nil && (isPlaceholder(t.val) || keyKind(t.val) != "") {
				readKey(sp[0]+m[0], "API key")
			}
		}
	}
	if sdk {
		for _, m := range reChainKey.FindAllStringIndex(s.skel, -1) {
			readKey(m[1], "API key")
		}
	}
	// the OpenAI SDK pointed at Anthropic's compatibility layer: its key
	// must be a Claude key, and without one it sends OPENAI_API_KEY
	for _, sp := range s.callSpans(reOpenAISDK) {
		part := s.skel[sp[0]:sp[1]]
		toAnthropic := false
		for _, r := range reRefs.FindAllStringSubmatch(part, -1) {
			if t := s.tok(r[1]); t != nil && strings.Contains(t.val, "api.anthropic.com") {
				toAnthropic = true
			}
		}
		if !toAnthropic {
			continue
		}
		l.related = true
		named := false
		for _, m := range reKeyArg.FindAllStringIndex(part, -1) {
			named = readKey(sp[0]+m[1], "API key") || named
		}
		if !named && !strings.Contains(part, "**") && !strings.Contains(part, "...") {
			l.add(IDAuthKeyKind, Error, s.lineAt(sp[0]), "The OpenAI SDK is pointed at the Claude API without a key, so it sends OPENAI_API_KEY.",
				`Pass the Claude key: api_key=os.environ["ANTHROPIC_API_KEY"] (apiKey: process.env.ANTHROPIC_API_KEY in JavaScript).`)
		}
	}

	// environment variables set from code
	for _, m := range reEnvSet.FindAllStringSubmatchIndex(s.skel, -1) {
		name := ""
		for g := 1; g <= 5; g++ {
			if m[2*g] < 0 {
				continue
			}
			if g == 4 {
				name = s.skel[m[8]:m[9]]
			} else if t := s.tok(s.skel[m[2*g]:m[2*g+1]]); t != nil {
				name = t.val
			}
		}
		e, ok := s.exprAfter(m[1])
		if t := s.single(e); ok && t != nil && !t.interp {
			l.envAssign(name, value{text: t.val, line: e.line}, false)
		}
	}
	if lang == "json" {
		l.jsonPairs(s)
	}

	// headers
	rawHTTP := apiLine > 0 && httpCall && !sdk && !openaiSDK && !wrapper
	sawKey, sawAuth, sawVersion, sawCT, sawNamed := false, false, false, false, false
	type authUse struct {
		e     expr
		v     *value // a "Authorization: …" string, instead of e
		mixed bool   // the code around it also talks to other providers
	}
	var auths []authUse // judged once every header is known
	header := func(name string, e expr, v *value, nameLine int) {
		p := ctx.at(nameLine)
		if p == provOther {
			return
		}
		switch low := strings.ToLower(strings.TrimSpace(name)); {
		case low == "x-api-key":
			sawKey = true
			l.related = true
			if v != nil {
				l.headerValue(*v, "x-api-key")
			} else {
				l.srcKey(s, e, "x-api-key")
			}
		case low == "authorization":
			sawAuth = true
			if rawHTTP || p == provAnthropic || anthropicHints && otherHosts == 0 {
				auths = append(auths, authUse{e, v, p != provAnthropic && (otherHosts > 0 || openaiLine > 0)})
			}
		case low == "anthropic-version":
			sawVersion = true
			l.related = true
			switch {
			case v != nil && !v.dynamic():
				l.versionValue(strings.TrimSpace(v.text), v.line)
			case v == nil:
				if t := s.single(e); t != nil && !t.interp {
					l.versionValue(strings.TrimSpace(t.val), e.line)
				}
			}
		case low == "content-type":
			sawCT = true
			if t := s.single(e); v == nil && t != nil && !t.interp && rawHTTP && !strings.Contains(strings.ToLower(t.val), "json") {
				l.add(IDContentTypeMissing, Warn, e.line, fmt.Sprintf("Content-Type is %s; the API expects application/json.", show(t.val)),
					"Set content-type: application/json.")
			}
		case low == "anthropic-dangerous-direct-browser-access":
			l.related = true
			l.add(IDAuthClientSide, Error, nameLine, "This request is made from a browser, so the key is visible to every visitor.",
				"Call the API from your server and keep the key there.")
		case rawHTTP && misnamedKeyHeader(name) && !reUpperVarName.MatchString(strings.TrimSpace(name)):
			sawNamed = true
			l.related = true
			l.add(IDAuthHeaderName, Error, nameLine, fmt.Sprintf("The key is sent in %q, a header the API does not read.", show(name)),
				"Rename the header to x-api-key (capitalisation does not matter).")
			if v == nil {
				l.srcKey(s, e, name)
			}
		}
	}
	pair := reHdrPair
	if lang == "r" || lang == "powershell" {
		pair = reHdrPairEq
	}
	pairs := reHdrPair.FindAllStringSubmatchIndex(s.skel, -1)
	if pair != reHdrPair {
		pairs = pair.FindAllStringSubmatchIndex(s.skel, -1)
	}
	for _, m := range pairs {
		t := s.tok(s.skel[m[2]:m[3]])
		if t == nil || t.interp {
			continue
		}
		if e, ok := s.exprAfter(m[1]); ok {
			header(t.val, e, nil, t.line)
		}
	}
	for _, m := range reHdrCall.FindAllStringSubmatchIndex(s.skel, -1) {
		if t := s.tok(s.skel[m[2]:m[3]]); t != nil && !t.interp {
			header(t.val, s.exprAt(m[1]), nil, t.line)
		}
	}
	for _, m := range reSetValue.FindAllStringSubmatchIndex(s.skel, -1) {
		if t := s.tok(s.skel[m[4]:m[5]]); t != nil && !t.interp { // Swift: setValue(value, forHTTPHeaderField: "name")
			header(t.val, s.exprAt(m[2]), nil, t.line)
		}
	}
	for _, m := range reAuthIdent.FindAllStringIndex(s.skel, -1) {
		header("authorization", s.exprAt(m[1]), nil, s.lineAt(m[0]))
	}
	for i := range s.strs {
		t := &s.strs[i]
		if family == "text" || family == "json" || !strings.Contains(t.val, ":") {
			continue // in notes, "…" may be a shell word: the pasted commands are read as shell
		}
		hm := reHeaderString.FindStringSubmatch(t.val)
		if hm == nil {
			continue
		}
		v := value{text: hm[2], line: t.line}
		if !t.interp && (strings.EqualFold(hm[1], "x-api-key") || strings.EqualFold(hm[1], "authorization")) &&
			ctx.at(t.line) != provOther && l.plainUnexpanded(&strTok{val: hm[2]}, t.line) {
			sawKey = sawKey || strings.EqualFold(hm[1], "x-api-key")
			continue
		}
		if t.interp {
			v = t.value(t.line)
			v.text = v.text[len(hm[1]):]
			v.text = strings.TrimLeft(strings.TrimPrefix(strings.TrimLeft(v.text, " "), ":"), " ")
		}
		if reConcat.MatchString(s.skel[t.end:min(len(s.skel), t.end+8)]) { // the rest comes at run time
			v.text += mark + mark
		}
		header(hm[1], expr{}, &v, t.line)
	}
	for _, a := range auths {
		if a.v != nil {
			if !a.mixed {
				l.checkAuthorization(*a.v, KindSource, beta, compatOnly && apiLine > 0)
			}
			continue
		}
		l.srcAuthorization(s, a.e, beta, compatOnly && apiLine > 0, rawHTTP, a.mixed, sawKey)
	}
	if rawHTTP {
		if !sawKey && !sawAuth && !sawNamed {
			l.add(IDAuthMissing, Warn, apiLine, "This file calls the API but never sets an x-api-key header.",
				"Send the key in an x-api-key header (the official SDK does this for you).")
		}
		if !sawVersion && !compatOnly {
			l.add(IDVersionMissing, Warn, apiLine, "This file calls the API but never sets an anthropic-version header.",
				"Send anthropic-version: "+versions+" with every request (the official SDK does this for you).")
		}
		if !sawCT {
			l.srcContentType(s, family)
		}
	}

	// models
	model := func(t *strTok, line int) {
		if t == nil || t.interp || ctx.at(line) == provOther {
			return
		}
		id := strings.TrimPrefix(strings.TrimSpace(t.val), "anthropic/")
		if !reClaudeModel.MatchString(strings.ToLower(id)) {
			return
		}
		l.related = true
		l.checkModel(id, line, true)
	}
	for _, m := range reModelPos.FindAllStringSubmatchIndex(s.skel, -1) {
		g := 2
		if m[2] < 0 {
			g = 4
		}
		if t := s.tok(s.skel[m[g]:m[g+1]]); t != nil {
			model(t, t.line)
		}
	}
	for _, m := range pairs {
		if t := s.tok(s.skel[m[2]:m[3]]); t != nil && t.val == "model" && s.skel[m[1]-1] == ':' {
			e := s.exprAt(m[1])
			model(s.single(e), e.line)
		}
	}
	for i := range s.strs {
		t := &s.strs[i]
		id := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(t.val)), "anthropic/")
		if _, ok := retirements[id]; ok && !t.interp && ctx.at(t.line) != provOther {
			l.related = true
			l.checkModel(id, t.line, false)
		}
	}
	if family == "go" {
		for _, m := range reGoModel.FindAllStringSubmatchIndex(s.skel, -1) {
			l.checkModel(goModelConst(s.skel[m[2]:m[3]]), s.lineAt(m[0]), false)
		}
	}

	l.clientSide(s, family, sdk, apiLine, sawKey)
}

// headerValue checks the value of a "x-api-key: …" string.
func (l *linter) headerValue(v value, what string) {
	if v.dynamic() {
		l.checkKeyShape(v, what)
		return
	}
	l.literalKey(v.text, v.line, what, false)
}

// exprAfter reads the expression after an "=" or ":" that ended a match;
// ok is false when the "=" was the start of "==".
func (s *srcFile) exprAfter(off int) (expr, bool) {
	if off < len(s.skel) && s.skel[off] == '=' {
		return expr{}, false
	}
	return s.exprAt(off), true
}

// callSpans returns the argument lists of every match of re, an opening
// call: from the parenthesis to its partner.
func (s *srcFile) callSpans(re fastRe) [][2]int {
	var out [][2]int
	for _, m := range re.FindAllStringIndex(s.skel, -1) {
		start := m[1]
		depth, i := 1, start
		for ; i < len(s.skel) && depth > 0 && i-start < 20000; i++ {
			switch s.skel[i] {
			case '(', '[', '{':
				depth++
			case ')', ']', '}':
				depth--
			}
		}
		out = append(out, [2]int{start, i})
	}
	return out
}

// envFix says how to read the key from the environment in this language.
func (l *linter) envFix() string {
	switch l.lang {
	case "python":
		return `Read it with os.environ["ANTHROPIC_API_KEY"].`
	case "javascript", "typescript", "html":
		return "Read it with process.env.ANTHROPIC_API_KEY (no quotes)."
	case "go":
		return `Read it with os.Getenv("ANTHROPIC_API_KEY").`
	}
	return "Read it from the ANTHROPIC_API_KEY environment variable."
}

// plainUnexpanded reports a variable reference written inside a plain
// string, where nothing will ever replace it.
func (l *linter) plainUnexpanded(t *strTok, line int) bool {
	v := t.val
	js := l.lang == "javascript" || l.lang == "typescript" || l.lang == "html"
	switch {
	case js && strings.Contains(v, "${"):
		l.add(IDAuthEnvUnexpanded, Error, line, "\"${…}\" is inside plain quotes, so it is sent as literal text.",
			"Use backticks for a template literal: `${…}`.")
	case l.lang == "python" && rePyBraces.MatchString(v):
		l.add(IDAuthEnvUnexpanded, Error, line, "The string has {…} but no f prefix, so the braces are sent as literal text.",
			`Add the f prefix: f"…{…}…".`)
	case strings.Contains(v, "process.env.") || strings.Contains(v, "os.environ"):
		l.add(IDAuthEnvUnexpanded, Error, line, "The key is the text of an environment lookup inside quotes, not its value.", l.envFix())
	case reShellVar.MatchString(v):
		name := reShellVar.FindStringSubmatch(v)[1]
		l.add(IDAuthEnvUnexpanded, Error, line, fmt.Sprintf("\"$%s\" in a string is sent as literal text; only a shell expands it.", show(name)),
			l.envFix())
	default:
		return false
	}
	return true
}

// srcKey checks an expression that becomes the x-api-key value.
func (l *linter) srcKey(s *srcFile, e expr, what string) {
	l.related = true
	if t := s.single(e); t != nil {
		if !t.interp && l.plainUnexpanded(t, e.line) {
			return
		}
		v := t.value(e.line)
		for _, n := range v.vars() {
			for _, name := range reEnvIn.FindAllStringSubmatch(n, -1) {
				l.otherVar(name[1]+name[2], e.line)
			}
		}
		if v.dynamic() {
			l.checkKeyShape(v, what)
			return
		}
		l.literalKey(v.text, e.line, what, false)
		return
	}
	if t, line, ok := s.resolve(e); ok { // KEY = "…" earlier, then api_key=KEY
		if !l.plainUnexpanded(t, line) {
			l.literalKey(t.val, line, what, false)
		}
		return
	}
	for _, n := range s.envNames(e) {
		l.otherVar(n, e.line)
	}
	if t, ok := s.fallback(e); ok {
		l.literalKey(t.val, t.line, what, true)
		return
	}
	if t := s.first(e); t != nil && !t.interp {
		l.checkKeyShape(value{text: t.val + mark + mark, line: e.line}, what)
	}
}

func (l *linter) otherVar(name string, line int) {
	if otherProviderVar(name) {
		l.add(IDAuthKeyKind, Warn, line, fmt.Sprintf("The key is read from %s, a variable named for another provider.", show(name)),
			"Read ANTHROPIC_API_KEY, or make sure this variable really holds a Claude API key.")
	}
}

func (l *linter) srcAuthToken(s *srcFile, e expr, beta bool) {
	l.related = true
	apiKey, oauth := false, false
	if t := s.single(e); t != nil && !t.interp {
		k := strings.TrimSpace(t.val)
		if isPlaceholder(k) {
			l.add(IDAuthPlaceholder, Error, e.line, "The auth token is a placeholder, not a real credential.",
				"Use a real credential, or pass an API key as the key instead.")
			return
		}
		kk := keyKind(k)
		apiKey, oauth = kk == "api" || kk == "admin", kk == "oauth"
	}
	for _, n := range s.names(e) {
		apiKey = apiKey || keyVarName(n)
		oauth = oauth || oauthVarName(n)
	}
	switch {
	case apiKey:
		l.bearerWarn(e.line, "An API key is passed as the auth token, which the SDK sends as Authorization: Bearer.")
	case oauth && !beta:
		l.add(IDAuthOAuthBeta, Error, e.line, "An OAuth token is used without the anthropic-beta: oauth-2025-04-20 header; the API refuses it.",
			"Add the header to the client's default headers, or use an API key.")
	}
}

func (l *linter) srcAuthorization(s *srcFile, e expr, beta, compat, rawHTTP, otherHosts, hasKey bool) {
	t := s.single(e)
	if t == nil {
		t = s.first(e)
	}
	if t == nil {
		return
	}
	v := t.value(e.line)
	lit := strings.TrimSpace(v.literal())
	if lit == "" {
		return
	}
	if !strings.HasPrefix(strings.ToLower(lit), "bearer") {
		if rawHTTP && !otherHosts {
			l.add(IDAuthHeaderName, Error, e.line, "The Authorization header lacks the Bearer scheme, so the API does not find the key in it.",
				"Write Authorization: Bearer followed by the key, or send the key in an x-api-key header.")
		}
		return
	}
	if compat {
		return
	}
	if hasKey && rawHTTP && !otherHosts {
		l.add(IDAuthConflict, Error, e.line, "The request sends two credentials, x-api-key and Authorization; the API refuses the pair.",
			"Keep one: x-api-key with the API key, or Authorization: Bearer alone.")
		return
	}
	oauth := false
	if s.single(e) != nil && !t.interp {
		tok := strings.TrimSpace(strings.TrimSpace(t.val)[len("bearer"):])
		oauth = keyKind(tok) == "oauth"
	}
	for _, n := range s.names(e) {
		oauth = oauth || oauthVarName(n)
	}
	switch {
	case oauth && !beta:
		l.add(IDAuthOAuthBeta, Error, e.line, `An OAuth token is sent without "anthropic-beta: oauth-2025-04-20"; the API refuses it.`,
			"Add the anthropic-beta: oauth-2025-04-20 header, or use an API key.")
	case !oauth && !beta && !otherHosts:
		l.bearerWarn(e.line, "The key is sent as Authorization: Bearer.")
	}
}

func (l *linter) srcContentType(s *srcFile, family string) {
	switch family {
	case "javascript":
		if m := reFetch.FindStringIndex(s.skel); m != nil && reFetchBody.MatchString(s.skel) {
			l.add(IDContentTypeMissing, Warn, s.lineAt(m[0]), "fetch sends a string body as text/plain unless you set Content-Type.",
				`Add "content-type": "application/json" to the headers.`)
		}
	case "python":
		if m := reReqData.FindStringIndex(s.skel); m != nil && !reReqJSON.MatchString(s.skel) {
			l.add(IDContentTypeMissing, Warn, s.lineAt(m[0]), "requests sends data= without a JSON Content-Type.",
				`Pass json=payload instead, or set "content-type": "application/json".`)
		}
	}
}

// jsonPairs checks "NAME": "value" pairs of a JSON file that look like
// environment blocks (Claude Code's settings.json, .mcp.json, docker).
func (l *linter) jsonPairs(s *srcFile) {
	for _, m := range reHdrPair.FindAllStringSubmatchIndex(s.skel, -1) {
		k := s.tok(s.skel[m[2]:m[3]])
		if k == nil || s.skel[m[1]-1] != ':' || !reUpperVarName.MatchString(k.val) {
			continue
		}
		e := s.exprAt(m[1])
		t := s.single(e)
		if t == nil {
			continue
		}
		if isKeyEnvVar(k.val) && reShellVar.MatchString(t.val) {
			l.related = true
			l.add(IDAuthEnvUnexpanded, Warn, e.line,
				fmt.Sprintf("%s is the text %q, which only works if the program reading this file expands variables.", show(k.val), show(t.val)),
				"Check that the tool expands ${VAR} here; otherwise put the value itself, or set the variable in your environment.")
			continue
		}
		l.envAssign(k.val, value{text: t.val, line: e.line}, false)
	}
}

// clientSide reports keys used from browser code.
func (l *linter) clientSide(s *srcFile, family string, sdk bool, apiLine int, sawKey bool) {
	if family != "javascript" {
		return
	}
	for _, m := range reBrowserFlag.FindAllStringIndex(s.skel, -1) {
		l.related = true
		l.add(IDAuthClientSide, Error, s.lineAt(m[0]), "dangerouslyAllowBrowser: true ships your API key to every visitor's browser.",
			"Call Claude from your server (an API route) and keep the key there.")
	}
	for _, m := range rePublicEnv.FindAllStringSubmatchIndex(s.skel, -1) {
		name := s.skel[m[2]:m[3]]
		if anthropicVar(name) && (strings.Contains(name, "KEY") || strings.Contains(name, "TOKEN")) {
			l.related = true
			l.add(IDAuthClientSide, Error, s.lineAt(m[0]), fmt.Sprintf("%s is bundled into front-end code, so every visitor gets the key.", show(name)),
				"Drop the public prefix and call the API only from your server.")
		}
	}
	server := reServerSide.MatchString(s.skel)
	for i := range s.strs {
		if v := s.strs[i].val; v == "use server" || v == "server-only" {
			server = true
		}
	}
	low := strings.ToLower(strings.ReplaceAll(l.name, `\`, "/"))
	if strings.Contains(low, "/api/") || strings.Contains(low, "server") || strings.HasPrefix(low, "api/") {
		server = true
	}
	browser := l.lang == "html" || l.jsx || reBrowserUse.MatchString(s.skel)
	for i := range s.strs {
		if s.strs[i].val == "use client" {
			browser = true
		}
	}
	if !browser || server {
		return
	}
	switch {
	case sdk:
		if m := reSDKCtor["javascript"].FindStringIndex(s.skel); m != nil {
			l.add(IDAuthClientSide, Error, s.lineAt(m[0]), "The Anthropic client is created in browser code, so the key reaches every visitor.",
				"Create the client on your server and call that from the page.")
		}
	case apiLine > 0 && sawKey:
		l.add(IDAuthClientSide, Error, apiLine, "This browser code calls the API with a key, so every visitor can read it.",
			"Call the API from your server and keep the key there.")
	}
}

// keyLiterals reports keys written into the input.
func (l *linter) keyLiterals(text string) {
	if l.lang == "dotenv" {
		return
	}
	sev := Error
	msg, fix := "A key (%s) is written into this file.", l.envFix()+" Then revoke this key: a key in a file gets copied, committed and leaked."
	switch {
	case l.kind == KindCurl:
		sev = Warn
		msg, fix = "The command contains a key (%s) in plain text; it stays in your shell history.",
			`Put it in ANTHROPIC_API_KEY and write -H "x-api-key: $ANTHROPIC_API_KEY".`
	case l.kind == KindHTTP, l.lang == "json", l.lang == "text":
		sev = Warn
	}
	lines := map[int]bool{}
	for _, m := range reAnthropicKey.FindAllStringIndex(text, -1) {
		k := text[m[0]:m[1]]
		i := strings.IndexByte(k[len("sk-ant-"):], '-')
		rest := k[len("sk-ant-")+i+1:]
		if len(rest) < 20 || isPlaceholder(k) {
			continue
		}
		line := 1 + strings.Count(text[:m[0]], "\n")
		if lines[line] {
			continue
		}
		lines[line] = true
		l.related = true
		l.add(IDAuthHardcoded, sev, line, fmt.Sprintf(msg, hint(k)), fix)
	}
}

// sourceClient names the SDK a source file uses, when the file says enough
// to pick its row: Go's import path carries the major version, Python has
// one line. A TypeScript file does not say which major it was built with.
func sourceClient(family string, s *srcFile, sdk bool) *creds.Client {
	var c creds.Client
	ok := false
	switch family {
	case "go":
		for i := range s.strs {
			v := s.strs[i].val
			if rest, found := strings.CutPrefix(v, "github.com/anthropics/anthropic-sdk-go"); found {
				if m := reGoMajor.FindStringSubmatch(rest); m != nil {
					c, ok = creds.ForSDK("go", "anthropic-sdk-go", "v"+m[1])
				} else if rest == "" || strings.HasPrefix(rest, "/") {
					c, ok = creds.ForSDK("go", "anthropic-sdk-go", "v1")
				}
				break
			}
		}
	case "python":
		if sdk {
			c, ok = creds.ForSDK("pypi", "anthropic", "")
		}
	}
	if !ok {
		return nil
	}
	return &c
}

var reGoMajor = regexp.MustCompile(`^/v(\d+)(?:/|$)`)
