export interface FetchPayload {
  apiKey: string
  baseUrl: string
  body: Record<string, any>
}

export const fetchChat = async(payload: FetchPayload) => {
  const init = {
    headers: {
      'anthropic-version': '2023-06-01',
      'Content-Type': 'application/json',
      'x-api-key': payload.apiKey,
    },
    method: 'POST',
    body: JSON.stringify(payload.body),
  }
  return fetch(`${payload.baseUrl}/v1/messages`, init)
}

export const fetchImage = async(payload: FetchPayload) => {
  const init = {
    headers: {
      'Content-Type': 'application/json',
      'Authorization': `Bearer ${payload.apiKey}`,
    },
    method: 'POST',
    body: JSON.stringify(payload.body),
  }
  return fetch(`${payload.baseUrl}/v1/images/generations`, init)
}
