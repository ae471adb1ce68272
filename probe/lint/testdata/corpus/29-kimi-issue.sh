export ANTHROPIC_BASE_URL=https://api.moonshot.cn/anthropic/
export ANTHROPIC_AUTH_TOKEN=sk-9usarpm******tiepfvkN0
export ANTHROPIC_API_KEY=sk-9usarpm******tiepfvkN0
