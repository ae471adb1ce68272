import anthropic

client = anthropic.Anthropic()
msg = client.messages.create(model="claude-sonnet-4-6", max_tokens=16, messages=[])
