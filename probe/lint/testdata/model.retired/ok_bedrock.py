from anthropic import AnthropicBedrock

client = AnthropicBedrock()
msg = client.messages.create(model="anthropic.claude-3-sonnet-20240229-v1:0", max_tokens=16, messages=[])
