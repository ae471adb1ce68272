package main

import (
	"os"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
)

func main() {
	os.Setenv("ANTHROPIC_API_KEY", "@@APIKEY@@")
	os.Setenv("ANTHROPIC_AUTH_TOKEN", "@@OAUTH@@")
	_ = anthropic.NewClient(option.WithMaxRetries(2))
}
