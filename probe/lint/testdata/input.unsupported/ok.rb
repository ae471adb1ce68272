require "anthropic"

client = Anthropic::Client.new(api_key: ENV["ANTHROPIC_API_KEY"])
reply = client.messages.create(model: "claude-opus-5-5", max_tokens: 64, messages: [{role: "user", content: "Hi"}])
