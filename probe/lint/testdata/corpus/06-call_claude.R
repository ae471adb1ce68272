library(httr)
library(jsonlite)

ask_claude <- function(prompt, model = "claude-sonnet-4-5-20250929") {
  key <- Sys.getenv("ANTHROPIC_API_KEY")
  body <- list(
    model = model,
    max_tokens = 1024,
    messages = list(list(role = "user", content = prompt))
  )
  hdrs <- add_headers(
    "x-api-key" = key,
    "anthropic-version" = "2023-06-01",
    "content-type" = "application/json"
  )
  resp <- POST(
    url = "https://api.anthropic.com/v1/messages",
    hdrs,
    body = toJSON(body, auto_unbox = TRUE)
  )
  fromJSON(content(resp, "text", encoding = "UTF-8"))
}
