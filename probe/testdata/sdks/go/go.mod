module example.com/app

go 1.24

require (
	github.com/joho/godotenv v1.5.1
	github.com/anthropics/anthropic-sdk-go v1.13.0 // indirect
	github.com/anthropics/anthropic-sdk-go-extra v0.1.0
)

replace github.com/anthropics/anthropic-sdk-go => ../anthropic-sdk-go
