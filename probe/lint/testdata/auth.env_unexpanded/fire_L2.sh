#!/bin/sh
export ANTHROPIC_API_KEY='$MY_CLAUDE_KEY'
