package anthropic;

import java.io.IOException;

public class RestApiCall {
    public static void main(String[] args) throws IOException {
        Request request = new Request.Builder()
            .url("https://api.anthropic.com/v1/messages")
            .post(RequestBody.create("{\"messages\": [{\"role\": \"user\", \"content\": \"hello\"}]}", JSON))
            .addHeader("X-Scan-Token", "scan-token-for-the-dlp-test")
            .addHeader("Authorization", "Bearer 777-77-7777")
            .build();
    }
}
