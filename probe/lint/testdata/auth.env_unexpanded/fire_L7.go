package main

import "net/http"

func main() {
	req, _ := http.NewRequest("GET", "https://api.anthropic.com/v1/models", nil)
	req.Header.Set("x-api-key", "$ANTHROPIC_API_KEY")
	req.Header.Set("anthropic-version", "2023-06-01")
	http.DefaultClient.Do(req)
}
