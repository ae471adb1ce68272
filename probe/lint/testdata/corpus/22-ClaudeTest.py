import anthropic

client = anthropic.Anthropic(
    # defaults to os.environ.get("ANTHROPIC_API_KEY")
    api_key="API KEY",
)
msg = client.messages.create(
    model="claude-3-opus-20240229",
    max_tokens=500,
    temperature=0,
    messages=[{"role": "user", "content": [{"type": "text", "text": "Ways to cook pears?"}]}],
)
print(msg.content)
