import anthropic

client = anthropic.Anthropic()
msg = client.messages.create(
    model="claude-3-haiku-20240307",
    max_tokens=16,
    messages=[],
)
