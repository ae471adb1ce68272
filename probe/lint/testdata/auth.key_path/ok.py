import anthropic
from pathlib import Path

key = Path("~/.config/anthropic/api_key.txt").expanduser().read_text().strip()
client = anthropic.Anthropic(api_key=key)
