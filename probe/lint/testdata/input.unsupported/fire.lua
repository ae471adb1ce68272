local http = require("socket.http")
local body = '{"model": "claude-3-opus-20240229", "max_tokens": 16}'
http.request{ url = "https://api.anthropic.com/v1/messages", method = "POST", source = ltn12.source.string(body) }
