import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });

export async function ask(question: string): Promise<string> {
  const msg = await client.messages.create({
    model: "claude-sonnet-5-5",
    max_tokens: 512,
    messages: [{ role: "user", content: question }],
  });
  return msg.content.map((b) => (b.type === "text" ? b.text : "")).join("");
}
