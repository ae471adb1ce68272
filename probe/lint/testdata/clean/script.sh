#!/usr/bin/env bash
set -euo pipefail
: "${ANTHROPIC_API_KEY:?set ANTHROPIC_API_KEY first}"
export ANTHROPIC_BASE_URL="https://api.anthropic.com"
for model in claude-opus-5-5 claude-haiku-5-5; do
  curl -sS https://api.anthropic.com/v1/messages \
    -H "x-api-key: ${ANTHROPIC_API_KEY}" \
    -H "anthropic-version: 2023-06-01" \
    --json "{\"model\": \"$model\", \"max_tokens\": 16, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"
done
