const API_KEY = "@@OPENAI@@"

async function chat() {
    const response = await fetch("https://api.openai.com/v1/chat/completions", {
        method: "POST",
        headers: {
            Authorization: `Bearer ${API_KEY}`,
            "Content-Type": "application/json"
        },
        body: JSON.stringify({
            model: "gpt-4",
            messages: [{ role: "user", content: "Hello!" }]
        })
    })
    console.log(await response.json())
}

chat()
