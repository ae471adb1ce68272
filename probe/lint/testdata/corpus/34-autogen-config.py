import os

claude_configs = [
    {
        "model": "claude-3-5-sonnet-20240620",
        "api_key": os.getenv("ANTHROPIC_API_KEY"),
        "api_type": "anthropic",
        "base_url": "http://0.0.0.0:2536",
    }
]
