using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

class Program
{
    const string Model = "claude-3-5-sonnet-20241022";

    public static async Task<string> Ask(string prompt)
    {
        string? apiKey = Environment.GetEnvironmentVariable("ANTHROPIC_API_KEY");
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        client.DefaultRequestHeaders.Add("x-api-key", apiKey);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");

        var data = new { model = Model, max_tokens = 500, messages = new[] { new { role = "user", content = prompt } } };
        var content = new StringContent(JsonSerializer.Serialize(data), Encoding.UTF8, "application/json");
        var response = await client.PostAsync("https://api.anthropic.com/v1/messages", content);
        return await response.Content.ReadAsStringAsync();
    }
}
