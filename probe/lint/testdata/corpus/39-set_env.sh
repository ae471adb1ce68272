#!/bin/bash
# Environment for the Anthropic API

# Replace the placeholder below with your key
export ANTHROPIC_API_KEY="YOUR_API_KEY_HERE"
export CLAUDE_MODEL="claude-3-7-sonnet-20250219"

echo "CLAUDE_MODEL: ${CLAUDE_MODEL}"
