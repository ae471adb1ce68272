import anthropic

client = anthropic.Anthropic(
    api_key=key,
    base_url="https://api.anthropic.com/v1",
)
