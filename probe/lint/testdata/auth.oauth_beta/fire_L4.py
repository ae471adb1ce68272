import os
from anthropic import Anthropic

client = Anthropic(auth_token=os.environ["CLAUDE_CODE_OAUTH_TOKEN"])
