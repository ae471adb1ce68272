from litellm import completion
import os

os.environ["OPENAI_API_KEY"] = "your-openai-key"
# os.environ["ANTHROPIC_API_KEY"] = "your-anthropic-key"

msgs = [{"content": "Hello, how are you?", "role": "user"}]

reply = completion(model="openai/gpt-4o", messages=msgs)
reply = completion(model="anthropic/claude-3-sonnet-20240229", messages=msgs)
print(reply)
