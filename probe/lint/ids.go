package lint

// Finding ids. They are stable: scripts may match on them.
const (
	IDAuthBearer         = "auth.bearer"          // an API key sent as Authorization: Bearer where gateways or older SDKs may refuse it
	IDAuthConflict       = "auth.conflict"        // two credentials sent at once (x-api-key and Authorization)
	IDAuthOAuthBeta      = "auth.oauth_beta"      // an OAuth token sent without anthropic-beta: oauth-2025-04-20
	IDAuthMissing        = "auth.missing"         // no credential at all, or an empty x-api-key
	IDAuthHeaderName     = "auth.header_name"     // the key in a header the API does not read (api-key, x-api_key, Basic auth…)
	IDAuthValueQuoted    = "auth.value_quoted"    // quotes, whitespace, Bearer or invisible characters inside the key value
	IDAuthEnvUnexpanded  = "auth.env_unexpanded"  // $VAR (or {name}, ${name}) sent as literal text
	IDAuthHardcoded      = "auth.hardcoded"       // a literal key in the input
	IDAuthClientSide     = "auth.client_side"     // a key used from browser code
	IDAuthPlaceholder    = "auth.placeholder"     // YOUR_API_KEY, <your-key>, sk-ant-xxx…
	IDAuthKeyPath        = "auth.key_path"        // a file path sent as the key instead of the file's contents
	IDAuthKeyKind        = "auth.key_kind"        // an admin key, an OAuth token or another provider's key where an API key belongs
	IDVersionMissing     = "version.missing"      // no anthropic-version header
	IDVersionInvalid     = "version.invalid"      // an anthropic-version the API does not accept (warn for the old 2023-01-01)
	IDContentTypeMissing = "content_type.missing" // a body sent without Content-Type: application/json
	IDEndpointWrong      = "endpoint.wrong"       // a wrong host or path
	IDEndpointInsecure   = "endpoint.insecure"    // plain http:// to a host that is not loopback
	IDModelRetired       = "model.retired"        // a model past its retirement date
	IDModelDeprecated    = "model.deprecated"     // a model with a retirement date still ahead
	IDModelUnknown       = "model.unknown"        // a model id not in fix401's table
	IDInputTooLarge      = "input.too_large"      // more than MaxInput bytes
	IDInputBinary        = "input.binary"         // not text
	IDInputParse         = "input.parse"          // the shell command does not parse
	IDInputNoRequest     = "input.no_request"     // nothing in the input talks to the Claude API
	IDInputUnsupported   = "input.unsupported"    // a language lint does not read: only keys, URLs and model ids were checked
	IDInternal           = "input.internal"       // lint itself failed (a bug); nothing was checked
)

// IDs lists every finding id Lint can report.
var IDs = []string{
	IDAuthBearer, IDAuthConflict, IDAuthOAuthBeta, IDAuthMissing, IDAuthHeaderName, IDAuthValueQuoted, IDAuthEnvUnexpanded,
	IDAuthHardcoded, IDAuthClientSide, IDAuthPlaceholder, IDAuthKeyPath, IDAuthKeyKind, IDVersionMissing, IDVersionInvalid,
	IDContentTypeMissing, IDEndpointWrong, IDEndpointInsecure, IDModelRetired, IDModelDeprecated, IDModelUnknown,
	IDInputTooLarge, IDInputBinary, IDInputParse, IDInputNoRequest, IDInputUnsupported, IDInternal,
}
