import os
from anthropic import Anthropic

client = Anthropic(
    auth_token=os.environ["CLAUDE_CODE_OAUTH_TOKEN"],
    default_headers={"anthropic-beta": "oauth-2025-04-20"},
)
