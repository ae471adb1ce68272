import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({ apiKey: userKey, dangerouslyAllowBrowser: true });
