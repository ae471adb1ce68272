from openai import OpenAI

client = OpenAI()
r = client.chat.completions.create(model="gpt-4o", messages=[])
