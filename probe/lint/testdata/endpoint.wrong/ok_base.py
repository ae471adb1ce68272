import anthropic

client = anthropic.Anthropic(base_url="https://api.anthropic.com")
