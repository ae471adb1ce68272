dependencies {
    implementation("com.anthropic:anthropic-java:2.2.0")
    implementation("com.anthropic:anthropic-java-bedrock")
    // implementation("org.example:anthropic-java:1.0")
}
