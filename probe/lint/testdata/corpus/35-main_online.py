with open("../keys/openai_key.txt") as f:
    openai_key = f.read().strip()
with open("../keys/claude_key.txt") as f:
    claude_key = f.read().strip()

import os

from litellm import completion

os.environ["OPENAI_API_KEY"] = openai_key
os.environ["ANTHROPIC_API_KEY"] = claude_key

msgs = [{"content": "Hello, how are you?", "role": "user"}]

print(completion(model="openai/gpt-4o", messages=msgs))
print(completion(model="anthropic/claude-3-7-sonnet-20250219", messages=msgs))
