// The npm Bot API emulator telegram-test-api on 127.0.0.1:PORT, plus, on PORT+1, a long poll
// for the load and session scripts: GET /wait?chat=ID&count=N answers once the bot has sent
// N messages to that chat, with the emulator's own time (ms) of each, so latencies do not
// depend on how often a client polls. Run: NODE_PATH=<dir>/node_modules node telegram_emulator.js 9000
const http = require('http');
const TelegramServer = require('telegram-test-api');

const port = Number(process.argv[2] || 9000);
const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 3600 });
const waiting = new Set();

// Two fixes so python-telegram-bot can talk to it: its getMe lacks is_bot, which
// python-telegram-bot (rightly) requires ...
const router = server.webServer._router || server.webServer.router;
for (const layer of router.stack) {
  if (layer.route && layer.route.path === '/bot:token/getMe') {
    for (const method of layer.route.stack) {
      method.handle = (_req, res) => res.sendResult({
        ok: true,
        result: { id: 666, is_bot: true, first_name: 'Test Bot', username: 'TestNameBot' },
      });
    }
  }
}

// ... and it returns sent messages dated in milliseconds, with the form's JSON fields
// (link_preview_options, reply_parameters) left as strings.
function decoded(message) {
  const out = { ...message, date: Math.floor(message.date / 1000) };
  for (const [key, value] of Object.entries(out)) {
    if (key !== 'text' && typeof value === 'string' && /^[[{]/.test(value)) {
      try { out[key] = JSON.parse(value); } catch (e) { /* leave it */ }
    }
  }
  return out;
}
const addBotMessage = server.addBotMessage.bind(server);
server.addBotMessage = (raw, token) => decoded(addBotMessage(raw, token));
// editMessageText answers null where Telegram returns the edited message.
for (const layer of router.stack) {
  if (layer.route && layer.route.path === '/bot:token/editMessageText') {
    for (const method of layer.route.stack) {
      method.handle = (req, res) => {
        server.editMessageText(req.body);
        const kept = server.storage.botMessages.find((u) => String(u.messageId) === String(req.body.message_id)
          && String(u.message.chat_id) === String(req.body.chat_id));
        const chat = { id: Number(req.body.chat_id), type: 'private', first_name: 'Bot' };
        res.sendResult({ ok: true, result: kept
          ? decoded({ ...kept.message, message_id: kept.messageId, date: kept.time, chat })
          : true });
      };
    }
  }
}
// Button presses come without chat_instance, which every callback query has.
const formatUpdate = TelegramServer.formatUpdate;
TelegramServer.formatUpdate = (update) => {
  const formatted = formatUpdate(update);
  if (formatted.callback_query) formatted.callback_query.chat_instance = 'emulator';
  return formatted;
};

function sentTo(chat) {
  return server.storage.botMessages.filter((u) => String(u.message.chat_id) === chat);
}

server.on('AddedBotMessage', () => { for (const check of [...waiting]) check(); });
server.on('EditedMessageText', () => { for (const check of [...waiting]) check(); });

http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const chat = url.searchParams.get('chat');
  const count = Number(url.searchParams.get('count') || 1);
  const check = () => {
    const sent = sentTo(chat);
    if (sent.length < count) return false;
    waiting.delete(check);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(sent.map((u) => ({ id: u.messageId, time: u.time, message: u.message }))));
    return true;
  };
  if (!check()) waiting.add(check);
}).listen(port + 1, '127.0.0.1');

server.start().then(() => console.log(`telegram-test-api on 127.0.0.1:${port}, waits on ${port + 1}`));
