package main

import (
	"os"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"
)

func main() {
	client := anthropic.NewClient(option.WithAuthToken(os.Getenv("ANTHROPIC_API_KEY")))
	_ = client
}
