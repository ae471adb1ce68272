const res = await fetch("https://api.anthropic.com/v1/models", {
  headers: { "x-api-key": `${apiKey}`, "anthropic-version": "2023-06-01" },
});
