import Anthropic from '@anthropic-ai/sdk';

const anthropic = new Anthropic();

const msg = await anthropic.messages.create({
  model: "claude-3-7-sonnet-20250219",
  max_tokens: 512,
  messages: [{ role: "user", content: "Hello, Claude" }],
});
console.log(msg.content[0]);
