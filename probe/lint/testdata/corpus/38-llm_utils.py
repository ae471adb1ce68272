import os

import anthropic
from dotenv import load_dotenv
from openai import OpenAI

load_dotenv()


def openai_call(messages):
    MODEL = "gpt-4o-mini"
    client = OpenAI(api_key=os.environ.get("OPENAI_API_KEY"))
    out = client.chat.completions.create(model=MODEL, messages=messages)
    return out.choices[0].message.content


def anthropic_call(messages):
    MODEL = "claude-3-5-sonnet-20241022"
    client = anthropic.Anthropic()
    out = client.messages.create(model=MODEL, messages=messages, max_tokens=1024)
    return out.content[0].text
