import anthropic

client = anthropic.Anthropic()
msg = client.messages.create(model="claude-opus-5-5", max_tokens=16, messages=[])
