import os, requests

r = requests.post(
    "https://api.openai.com/v1/chat/completions",
    headers={"Authorization": "Bearer " + os.environ["KEY"]},
    json={"model": "claude-opus-5-5", "messages": []},
)
