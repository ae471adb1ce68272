<?php
$headers = [
    'x-api-key: config/claude_api_key.txt',
    'anthropic-version: 2023-06-01',
    'content-type: application/json',
];
$ch = curl_init('https://api.anthropic.com/v1/messages');
curl_setopt($ch, CURLOPT_HTTPHEADER, $headers);
