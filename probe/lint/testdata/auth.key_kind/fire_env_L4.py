import os
import anthropic

client = anthropic.Anthropic(api_key=os.environ["OPENAI_API_KEY"])
