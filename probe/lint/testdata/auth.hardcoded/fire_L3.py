import anthropic

client = anthropic.Anthropic(api_key="@@APIKEY@@")
