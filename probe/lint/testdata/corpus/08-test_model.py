import os

import requests

KEY = os.getenv("ANTHROPIC_API_KEY")
MODEL = os.getenv("MODEL", "claude-3-opus-20240229")

headers = {
    "x-api-key": KEY,
    "anthropic-version": "2023-06-01",
    "content-type": "application/json",
}
body = {"model": MODEL, "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}]}

resp = requests.post("https://api.anthropic.com/v1/messages", headers=headers, json=body)
print(resp.status_code, resp.text)
