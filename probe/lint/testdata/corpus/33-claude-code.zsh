# Claude Code through a LiteLLM gateway
export ANTHROPIC_BASE_URL="${ANTHROPIC_BASE_URL:-http://litellm.example-home.co.uk}"
export ANTHROPIC_AUTH_TOKEN="${ANTHROPIC_AUTH_TOKEN:-$LITELLM_API_KEY}"
export ANTHROPIC_MODEL="${ANTHROPIC_MODEL:-qwen3-coder}"
export ANTHROPIC_SMALL_FAST_MODEL="${ANTHROPIC_SMALL_FAST_MODEL:-gemini-2.5-flash}"
