import anthropic

key = load_key()
client = anthropic.Anthropic(api_key="Bearer " + key)
