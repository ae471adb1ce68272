import anthropic

client = anthropic.Anthropic(api_key="$ANTHROPIC_API_KEY")
