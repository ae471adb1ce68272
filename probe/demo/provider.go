package demo

import "fmt"

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

// fixClaudeCodeBedrock turns the flag off the way the diagnosis says:
// unset, and its line deleted from ~/.zshrc.
func fixClaudeCodeBedrock(zshrc string, vars map[string]string) (changes []string, err error) {
	lines, err := dropExports(zshrc, "CLAUDE_CODE_USE_BEDROCK")
	if err != nil {
		return nil, err
	}
	for _, n := range lines {
		changes = append(changes, fmt.Sprintf("deleted line %d of ~/.zshrc (export CLAUDE_CODE_USE_BEDROCK)", n))
	}
	if _, ok := vars["CLAUDE_CODE_USE_BEDROCK"]; ok {
		delete(vars, "CLAUDE_CODE_USE_BEDROCK")
		changes = append(changes, "ran `unset CLAUDE_CODE_USE_BEDROCK` in the demo's shell")
	}
	return changes, nil
}
