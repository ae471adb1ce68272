providers = {
    "xai": {"base_url": "https://api.x.ai/v1", "api_key": "XAI_API_KEY"},
    "openai": {"base_url": "https://api.openai.com/v1", "api_key": "OPENAI_API_KEY"},
    "openrouter": {"base_url": "https://openrouter.ai/api/v1", "api_key": "OPENROUTER_API_KEY"},
    "groq": {"base_url": "https://api.groq.com/openai/v1", "api_key": "GROQ_API_KEY"},
    "anthropic": {"base_url": None, "api_key": "ANTHROPIC_API_KEY"},
}
