import anthropic

client = anthropic.Anthropic(
    api_key="~/.config/anthropic/api_key.txt",
)
