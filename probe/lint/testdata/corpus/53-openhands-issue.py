import os
from litellm import completion

os.environ["ANTHROPIC_API_KEY"] = "sgp_0a1b2c3d4e5f6a7b_8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d"

msgs = [{"role": "user", "content": "Hey! how's it going?"}]
resp = completion(model="claude-3-5-sonnet-20240620", messages=msgs, stream=True)
for chunk in resp:
    print(chunk["choices"][0]["delta"]["content"])
