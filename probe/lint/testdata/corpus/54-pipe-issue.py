import anthropic

API_KEY = "<your VALID api key here>"

client = anthropic.Anthropic(
    api_key=API_KEY,
    default_headers={
        "x-api-key": API_KEY,
    },
)

message = client.messages.create(
    model="claude-opus-4-8",
    max_tokens=500,
    messages=[{"role": "user", "content": "What is new in solar power?"}],
)
print(message.content)
