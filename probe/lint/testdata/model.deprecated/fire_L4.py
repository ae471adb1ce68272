import anthropic

client = anthropic.Anthropic()
msg = client.messages.create(model="claude-sonnet-4-5-20250929", max_tokens=16, messages=[])
