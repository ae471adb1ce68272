import os
import anthropic

client = anthropic.Anthropic(
    auth_token=os.environ["ANTHROPIC_API_KEY"],
)
