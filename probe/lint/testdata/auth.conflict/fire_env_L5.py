import os
import anthropic

os.environ["ANTHROPIC_API_KEY"] = "@@APIKEY@@"
os.environ["ANTHROPIC_AUTH_TOKEN"] = "@@OAUTH@@"
client = anthropic.Anthropic()
