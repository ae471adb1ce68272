import anthropic

client = anthropic.Anthropic(base_url="http://gateway.example.com")
