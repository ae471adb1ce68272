"use client";
import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({
  apiKey: key,
  dangerouslyAllowBrowser: true,
});

export default function Chat() {
  return <p>Don't ship keys</p>;
}
