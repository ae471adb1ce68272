import requests

api_key = read_key()
r = requests.post(
    "https://api.anthropic.com/v1/messages",
    headers={
        "x-api-key": "{api_key}",
        "anthropic-version": "2023-06-01",
    },
    json={"model": "claude-opus-5-5", "max_tokens": 16, "messages": []},
)
