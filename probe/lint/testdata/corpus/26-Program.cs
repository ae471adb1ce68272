using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

class Program
{
    static async Task Main(string[] args)
    {
        string apiKey = "";

        Console.Write("Your question: ");
        string prompt = Console.ReadLine();

        using var client = new HttpClient();
        client.BaseAddress = new Uri("https://api.anthropic.com");
        client.DefaultRequestHeaders.Add("x-apiKey", apiKey);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");

        var body = new
        {
            model = "claude-3opus-20240229",
            max_tokens = 800,
            messages = new[] { new { role = "user", content = prompt } }
        };
        var json = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        var response = await client.PostAsync("v1/messages", json);
        Console.WriteLine(await response.Content.ReadAsStringAsync());
    }
}
