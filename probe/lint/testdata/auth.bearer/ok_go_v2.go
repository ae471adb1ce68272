package main

import (
	"os"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
)

func main() {
	client := anthropic.NewClient(option.WithAuthToken(os.Getenv("ANTHROPIC_API_KEY")))
	_ = client
}
