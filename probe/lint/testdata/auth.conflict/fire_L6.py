import os
import anthropic

client = anthropic.Anthropic(
    api_key=os.environ["ANTHROPIC_API_KEY"],
    auth_token=os.environ["ANTHROPIC_AUTH_TOKEN"],
)
