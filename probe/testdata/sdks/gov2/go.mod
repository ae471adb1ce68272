module example.com/app
go 1.25
require "github.com/anthropics/anthropic-sdk-go/v2" v2.0.1
exclude (
	github.com/anthropics/anthropic-sdk-go v0.1.0
)
