import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();

export async function POST(req: Request) {
  const msg = await client.messages.create({ model: "claude-sonnet-5", max_tokens: 64, messages: [] });
  return Response.json(msg);
}
