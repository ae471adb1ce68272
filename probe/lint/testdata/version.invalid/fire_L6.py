import os, requests

r = requests.get(
    "https://api.anthropic.com/v1/models",
    headers={"x-api-key": os.environ["ANTHROPIC_API_KEY"],
             "anthropic-version": "2023-06-1"},
)
