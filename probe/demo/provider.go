package demo

// buildClaudeCodeBedrock is a Claude Code user whose Anthropic key works,
// but whose ~/.zshrc still exports CLAUDE_CODE_USE_BEDROCK from a Bedrock
// trial: Claude Code goes to Bedrock, with an AWS profile from the user
// settings and no AWS_REGION.
func buildClaudeCodeBedrock(b *builder) error {
	k := b.key("env")
	b.exportKey("ANTHROPIC_API_KEY", k)
	b.valid(k)
	b.d.Env.For = "claude-code"
	b.d.Env.Vars["CLAUDE_CODE_USE_BEDROCK"] = "1"
	b.zshrcExtra = append(b.zshrcExtra, "\n# Bedrock trial, March\nexport CLAUDE_CODE_USE_BEDROCK=1\n")
	return b.home(".claude/settings.json", "{\n  \"model\": \"sonnet\",\n  \"env\": {\n    \"AWS_PROFILE\": \"bedrock-trial\"\n  }\n}\n")
}
