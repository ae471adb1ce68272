#!/usr/bin/env php
<?php

require_once dirname(__DIR__) . '/vendor/autoload.php';

use Anthropic\Client;

$client = new Client(
    apiKey: getenv('ANTHROPIC_API_KEY') ?: 'my-anthropic-api-key'
);

$reply = $client->messages->create(
    maxTokens: 512,
    messages: [['role' => 'user', 'content' => 'Hello there']],
    model: 'claude-sonnet-4-20250514'
);

var_dump($reply->content);
