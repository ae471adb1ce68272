package main

import (
	"net/http"
	"os"
	"strings"
)

func main() {
	body := strings.NewReader(`{"model": "claude-sonnet-5", "max_tokens": 64, "messages": [{"role": "user", "content": "hi"}]}`)
	req, _ := http.NewRequest("POST", "https://api.anthropic.com/v1/messages", body)
	req.Header.Set("x-api-key", os.Getenv("ANTHROPIC_API_KEY"))
	req.Header.Set("anthropic-version", "2023-06-01")
	req.Header.Set("content-type", "application/json")
	http.DefaultClient.Do(req)
}
