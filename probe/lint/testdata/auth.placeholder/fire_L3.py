import anthropic

client = anthropic.Anthropic(api_key="sk-ant-xxx")
