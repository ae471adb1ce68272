using Anthropic;
using Anthropic.Models.Messages;

// Reads ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN and ANTHROPIC_BASE_URL
var client = new AnthropicClient();

MessageCreateParams parameters = new()
{
    MaxTokens = 1024,
    Messages = [new() { Content = "Tell me a short story.", Role = Role.User }],
    Model = "claude-sonnet-45-2",
};

var response = await client.Messages.Create(parameters);
Console.WriteLine(response);
