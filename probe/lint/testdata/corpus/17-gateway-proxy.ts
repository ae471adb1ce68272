import OpenAI from "openai";

const client = new OpenAI({
  baseURL: "http://localhost:8787/anthropic",
  apiKey: "sk_4f1c2a9e8d7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f",
});

const chat = await client.chat.completions.create({
  model: "claude-sonnet-4-5",
  messages: [{ role: "user", content: "What is a CDN?" }],
});

console.log(JSON.stringify(chat, null, 2));
