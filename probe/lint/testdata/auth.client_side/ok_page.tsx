export default function Chat() {
  async function send(text: string) {
    const res = await fetch("/api/chat", { method: "POST", body: JSON.stringify({ text }) });
    return res.json();
  }
  return <button onClick={() => send("hi")}>Send</button>;
}
