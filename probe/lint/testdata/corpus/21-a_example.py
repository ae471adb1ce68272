import anthropic

ANTHROPIC_API_KEY = "your_key"
client = anthropic.Anthropic(
    # defaults to os.environ.get("ANTHROPIC_API_KEY")
    api_key=ANTHROPIC_API_KEY,
)
msg = client.messages.create(
    model="claude-3-5-sonnet-20240620",
    max_tokens=256,
    messages=[{"role": "user", "content": "Hello, Claude"}],
)
print(msg.content)
