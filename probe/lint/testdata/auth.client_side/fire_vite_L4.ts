import Anthropic from "@anthropic-ai/sdk";

export const client = new Anthropic({
  apiKey: import.meta.env.VITE_ANTHROPIC_API_KEY,
});
