const res = await fetch("https://api.anthropic.com/v1/models", {
  headers: { "x-api-key": process.env.ANTHROPIC_API_KEY },
});
