#!/usr/bin/env node
// A tiny stand-in for Anthropic's Messages API, for the journey and for local runs without a key.
//   node e2e/fake-anthropic.mjs --port 4010   (or PORT=4010; then ANTHROPIC_BASE_URL=http://localhost:4010)
// POST /v1/messages with "stream": true answers with the real SSE event sequence (message_start,
// content_block_start, content_block_delta/text_delta, content_block_stop, message_delta with usage,
// message_stop); without it, a plain message. When the request offers a tool named `propose_edits`
// (the edits endpoint), the reply is a tool_use of that tool. Accepts `x-api-key` or `Authorization: Bearer`.
// Prompt caching as the real API reports it (cache_creation_input_tokens when a prefix ending in a
// `cache_control` block is first sent, cache_read_input_tokens when a later request repeats it).
// A user message containing FAKE-UPSTREAM-ERROR is answered with a 400 invalid_request_error, for
// tests of how upstream failures are counted and shown. Markers in the last user message, for the
// system tests (system-tests/.../security):
//   FAKE-SLOW-STREAM               streamed one chunk a second (about half a minute): a stream in flight
//   FAKE-STATUS-429 / -529 / -500  answer with that status (and retry-after: 0)
//   FAKE-STREAM-DROP               a stream that sends one delta and then drops the connection
//   FAKE-STREAM-ERROR              a stream that sends one delta and then an overloaded_error event
//   FAKE-HOLD                      a stream that sends one delta, then only pings until the client leaves (60 s at most)
//   FAKE-DELAY-<ms>                wait that long before answering (at most 10 s)
//   FAKE-HTML                      an answer full of hostile markup (script, onerror, javascript: link, external image)
//   FAKE-EDIT-PATH:<path>          the proposed edit's path, verbatim
//   FAKE-TAG:<tag>                 names the request: GET /_fake/requests lists each tag with "closedEarly"
//                                  (the caller closed the connection before the answer ended) and the auth it sent
//   FAKE-AGENT-EDIT:<path>         a scripted agent (the request offers the agent's tools): read_file the path,
//                                  then edit_file it (the marker comment above its first unique line; write_file
//                                  when the file is empty or could not be read), then run_command `cat <path>`,
//                                  then a final text ending FAKE-AGENT-DONE. Stateless: the step is the number of
//                                  tool_result blocks since the user's task. Streamed, a tool call is the real
//                                  sequence (content_block_start tool_use, input_json_delta pieces,
//                                  content_block_stop, message_delta stop_reason tool_use).
// In an agent loop the last user message holds only tool results: markers are read from the last user
// message that has text (the task).
import { createServer } from 'node:http';

const argPort = process.argv.indexOf('--port');
const PORT = Number(
  argPort > 0
    ? process.argv[argPort + 1]
    : (process.env.PORT ?? process.env.FAKE_ANTHROPIC_PORT ?? 4010),
);
const DELAY_MS = Number(process.env.FAKE_DELAY_MS ?? 40);
export const EDIT_MARKER = '// edited by the assistant';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let counter = 0;
const id = (p) => `${p}_fake${Date.now().toString(36)}${(counter++).toString(36)}`;

function textOf(message) {
  const c = message.content;
  if (typeof c === 'string') return c;
  if (Array.isArray(c))
    return c
      .filter((b) => b.type === 'text')
      .map((b) => b.text)
      .join('\n');
  return '';
}

// The index of the last user message that says something (not only tool results): the task.
function taskIndex(body) {
  const msgs = Array.isArray(body.messages) ? body.messages : [];
  for (let i = msgs.length - 1; i >= 0; i--)
    if (msgs[i].role === 'user' && textOf(msgs[i]).trim()) return i;
  return -1;
}

function lastUserText(body) {
  const i = taskIndex(body);
  return i < 0 ? '' : textOf(body.messages[i]);
}

const blockText = (b) =>
  b.text ??
  (typeof b.content === 'string'
    ? b.content
    : Array.isArray(b.content)
      ? b.content.map((x) => x.text ?? '').join('\n')
      : b.input
        ? JSON.stringify(b.input)
        : '');

function allText(body) {
  const sys =
    typeof body.system === 'string'
      ? body.system
      : Array.isArray(body.system)
        ? body.system.map((b) => b.text ?? '').join('\n')
        : '';
  const msgs = (body.messages ?? []).map((m) =>
    typeof m.content === 'string' ? m.content : (m.content ?? []).map(blockText).join('\n'),
  );
  return [sys, ...msgs].join('\n');
}

export const HOSTILE_MARKUP = [
  '<script>window.__pwned = "script"</script>',
  '<img src="x" onerror="window.__pwned = \'onerror\'">',
  "[click me](javascript:window.__pwned='link')",
  '![tracker](https://evil.example/pixel.png)',
  '<a href="javascript:window.__pwned=\'a\'">raw link</a>',
  '<iframe src="https://evil.example/"></iframe>',
].join('\n\n');

const marker = (body, name) => lastUserText(body).includes(name);
const markerValue = (body, name) => {
  const m = new RegExp(`${name}:(\\S+)`).exec(lastUserText(body));
  return m ? m[1] : null;
};

// What each tagged request looked like, for tests that must see the upstream side.
const requests = new Map();

function answerFor(body) {
  if (marker(body, 'FAKE-HTML'))
    return `Careful output follows.\n\n${HOSTILE_MARKUP}\n\nFAKE-ANSWER-COMPLETE`;
  // claude-service puts attached files before the question: "Attached from the project:\n<file …>…</file>\n…".
  const asked = lastUserText(body).replace(/^Attached from the project:\n[\s\S]*<\/file>\n/, '');
  const question = asked.trim().slice(0, 200).replace(/\s+/g, ' ');
  return [
    'Here is the answer from the **fake assistant**.',
    '',
    `You asked: _${question}_`,
    '',
    '```js',
    "console.log('hello from constellation');",
    '```',
    '',
    'FAKE-ANSWER-COMPLETE',
  ].join('\n');
}

// Picks the file to edit: the first source-looking path the instruction (the last user message)
// names, else the first file whose content the request carries, else the first path anywhere.
const PATH_RE =
  /(?:^|[\s"'`([])((?:[\w.-]+\/)*[\w.-]+\.(?:js|mjs|ts|json|py|java|md|html|css|txt))\b/g;
const pathsIn = (text) =>
  [...text.matchAll(PATH_RE)].map((m) => m[1]).filter((p) => !p.startsWith('http'));
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// The current content of `path` if the request carries it: claude-service's <file path="…">…</file>
// blocks, or a fenced block right after the path.
function contentOf(text, path) {
  const tagged = new RegExp(`<file path="${escapeRe(path)}"[^>]*>\\n?([\\s\\S]*?)</file>`).exec(
    text,
  );
  if (tagged) return tagged[1];
  const fenced = new RegExp(`${escapeRe(path)}[^\\n]*\\n+\`\`\`[^\\n]*\\n([\\s\\S]*?)\`\`\``).exec(
    text,
  );
  return fenced ? fenced[1] : '';
}

function editFor(body) {
  const text = allText(body);
  const instruction = lastUserText(body)
    .split(/\nInstruction:/)
    .pop();
  const carried = [...text.matchAll(/<file path="([^"]+)"/g)].map((m) => m[1]);
  const path =
    markerValue(body, 'FAKE-EDIT-PATH') ??
    pathsIn(instruction)[0] ??
    carried[0] ??
    pathsIn(text)[0] ??
    'index.js';
  const current = contentOf(text, path);
  const content = `${EDIT_MARKER}\n${current || "console.log('hello from the edited file');\n"}`;
  return {
    summary: `Add a marker comment to ${path}.`,
    edits: [{ path, action: 'modify', content }],
  };
}

const cachedPrefixes = new Set();

// Like the real API: every block marked with cache_control writes the prompt up to it to the
// cache; a later request reads the longest cached prefix that ends on one of its block boundaries
// up to its last breakpoint.
function cacheUsage(body) {
  const blocks = [];
  // The real API's prefix order: tools, then system, then messages.
  for (const t of Array.isArray(body.tools) ? body.tools : [])
    blocks.push({
      text: JSON.stringify({ ...t, cache_control: undefined }),
      cache_control: t.cache_control,
    });
  if (Array.isArray(body.system)) blocks.push(...body.system);
  for (const m of body.messages ?? []) if (Array.isArray(m.content)) blocks.push(...m.content);
  let last = -1;
  blocks.forEach((b, i) => {
    if (b && b.cache_control) last = i;
  });
  if (last < 0) return { read: 0, created: 0 };
  const prefixes = [];
  let text = '';
  for (let i = 0; i <= last; i++) {
    text += blockText(blocks[i]) + '\n';
    prefixes.push(text);
  }
  const hit = prefixes.filter((p) => cachedPrefixes.has(p)).pop() ?? '';
  blocks.forEach((b, i) => {
    if (i <= last && b && b.cache_control) cachedPrefixes.add(prefixes[i]);
  });
  const tokens = (t) => Math.ceil(t.length / 4);
  return { read: tokens(hit), created: tokens(prefixes[last]) - tokens(hit) };
}

function usage(input, output, body) {
  const { read, created } = body ? cacheUsage(body) : { read: 0, created: 0 };
  return {
    input_tokens: Math.max(1, input - read - created),
    output_tokens: output,
    cache_creation_input_tokens: created,
    cache_read_input_tokens: read,
  };
}

// ---- the scripted agent (FAKE-AGENT-EDIT:<path>)

const offers = (body, name) =>
  (Array.isArray(body.tools) ? body.tools : []).some((t) => t.name === name);

function agentScript(body) {
  const path = markerValue(body, 'FAKE-AGENT-EDIT');
  if (!path || !offers(body, 'read_file')) return null;
  const msgs = body.messages;
  const since = msgs.slice(taskIndex(body) + 1);
  const results = since.flatMap((m) =>
    m.role === 'user' && Array.isArray(m.content)
      ? m.content.filter((b) => b.type === 'tool_result')
      : [],
  );
  const step = results.length;
  if (step === 0)
    return {
      text: `I will read ${path} first.`,
      tool: { name: 'read_file', input: { path } },
    };
  if (step === 1) {
    const read = results[0];
    const content = read.is_error ? '' : withoutLineNumbers(blockText(read));
    const lines = content.split('\n').filter((l) => l.trim());
    const unique = lines.find((l) => content.split(l).length === 2);
    if (unique && offers(body, 'edit_file'))
      return {
        text: `Adding the marker comment to ${path}.`,
        tool: {
          name: 'edit_file',
          input: { path, old_text: unique, new_text: `${EDIT_MARKER}\n${unique}` },
        },
      };
    return {
      text: `Writing ${path} with the marker comment.`,
      tool: { name: 'write_file', input: { path, content: `${EDIT_MARKER}\n${content}` } },
    };
  }
  if (step === 2)
    return {
      text: 'Now let me check the result.',
      tool: { name: 'run_command', input: { command: `cat ${path}` } },
    };
  return {
    text: `Done: ${path} now starts with the marker comment, and \`cat ${path}\` shows it.\n\nFAKE-AGENT-DONE`,
  };
}

// A read_file result may come back numbered ("  12\tline" or "12: line"); the edit needs the text.
function withoutLineNumbers(text) {
  const lines = text.split('\n');
  const numbered = /^\s*\d+(\t|: |\| |→)/;
  const body = lines.filter((l) => l !== '');
  if (body.length && body.every((l) => numbered.test(l)))
    return lines.map((l) => l.replace(numbered, '')).join('\n');
  return text;
}

function wantsTool(body) {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  return tools.some((t) => t.name === 'propose_edits');
}

function chunks(text, n = 12) {
  const out = [];
  for (let i = 0; i < text.length; i += n) out.push(text.slice(i, i + n));
  return out;
}

async function stream(res, body) {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'request-id': id('req'),
  });
  const send = (event, data) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  const model = body.model ?? 'claude-fake';
  const inputTokens = Math.ceil(allText(body).length / 4);
  send('message_start', {
    message: {
      id: id('msg'),
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usage(inputTokens, 1, body),
    },
  });
  send('ping', {});
  if (
    marker(body, 'FAKE-HOLD') ||
    marker(body, 'FAKE-STREAM-DROP') ||
    marker(body, 'FAKE-STREAM-ERROR')
  ) {
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    send('content_block_delta', {
      index: 0,
      delta: { type: 'text_delta', text: 'Thinking about it… ' },
    });
    if (marker(body, 'FAKE-STREAM-DROP')) {
      await sleep(DELAY_MS);
      return res.destroy();
    }
    if (marker(body, 'FAKE-STREAM-ERROR')) {
      await sleep(DELAY_MS);
      res.write(
        `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`,
      );
      return res.end();
    }
    let gone = false;
    res.on('close', () => (gone = true));
    const until = Date.now() + 60_000;
    while (!gone && !res.destroyed && Date.now() < until) {
      send('ping', {});
      await sleep(200);
    }
    if (gone || res.destroyed) return;
    send('content_block_stop', { index: 0 });
    send('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 5 },
    });
    send('message_stop', {});
    return res.end();
  }
  const agent = agentScript(body);
  if (agent) {
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    for (const part of chunks(agent.text)) {
      if (res.destroyed) return;
      send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: part } });
      await sleep(DELAY_MS / 2);
    }
    send('content_block_stop', { index: 0 });
    if (agent.tool) {
      const input = JSON.stringify(agent.tool.input);
      send('content_block_start', {
        index: 1,
        content_block: { type: 'tool_use', id: id('toolu'), name: agent.tool.name, input: {} },
      });
      for (const part of chunks(input, 16)) {
        send('content_block_delta', {
          index: 1,
          delta: { type: 'input_json_delta', partial_json: part },
        });
        await sleep(DELAY_MS / 4);
      }
      send('content_block_stop', { index: 1 });
    }
    send('message_delta', {
      delta: { stop_reason: agent.tool ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: {
        output_tokens: Math.ceil((agent.text.length + JSON.stringify(agent.tool ?? '').length) / 4),
      },
    });
  } else if (wantsTool(body)) {
    const input = JSON.stringify(editFor(body));
    send('content_block_start', {
      index: 0,
      content_block: { type: 'tool_use', id: id('toolu'), name: 'propose_edits', input: {} },
    });
    for (const part of chunks(input, 40)) {
      send('content_block_delta', {
        index: 0,
        delta: { type: 'input_json_delta', partial_json: part },
      });
      await sleep(DELAY_MS / 4);
    }
    send('content_block_stop', { index: 0 });
    send('message_delta', {
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: Math.ceil(input.length / 4) },
    });
  } else {
    const text = answerFor(body);
    const delay = lastUserText(body).includes('FAKE-SLOW-STREAM') ? 1000 : DELAY_MS;
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    for (const part of chunks(text)) {
      if (res.destroyed) return;
      send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: part } });
      await sleep(delay);
    }
    send('content_block_stop', { index: 0 });
    send('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: Math.ceil(text.length / 4) },
    });
  }
  send('message_stop', {});
  res.end();
}

function reply(res, body) {
  const inputTokens = Math.ceil(allText(body).length / 4);
  const base = {
    id: id('msg'),
    type: 'message',
    role: 'assistant',
    model: body.model ?? 'claude-fake',
    stop_sequence: null,
  };
  let message;
  const agent = agentScript(body);
  if (agent) {
    const content = [{ type: 'text', text: agent.text }];
    if (agent.tool)
      content.push({
        type: 'tool_use',
        id: id('toolu'),
        name: agent.tool.name,
        input: agent.tool.input,
      });
    message = {
      ...base,
      content,
      stop_reason: agent.tool ? 'tool_use' : 'end_turn',
      usage: usage(inputTokens, 40, body),
    };
  } else if (wantsTool(body)) {
    const input = editFor(body);
    message = {
      ...base,
      content: [{ type: 'tool_use', id: id('toolu'), name: 'propose_edits', input }],
      stop_reason: 'tool_use',
      usage: usage(inputTokens, 60, body),
    };
  } else {
    const text = answerFor(body);
    message = {
      ...base,
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      usage: usage(inputTokens, Math.ceil(text.length / 4), body),
    };
  }
  res.writeHead(200, { 'content-type': 'application/json', 'request-id': id('req') });
  res.end(JSON.stringify(message));
}

function error(res, status, type, message) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ type: 'error', error: { type, message } }));
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (req.method === 'GET' && url.pathname === '/_fake/requests') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify([...requests.values()]));
  }
  if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/health')) {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.end('fake-anthropic ok\n');
  }
  if (req.method !== 'POST' || !/\/v1\/messages$/.test(url.pathname))
    return error(res, 404, 'not_found_error', `No route ${req.method} ${url.pathname}`);
  const auth =
    req.headers['x-api-key'] || (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
  if (!auth)
    return error(res, 401, 'authentication_error', 'x-api-key or Authorization header is required');
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (c) => (raw += c));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(raw || '{}');
    } catch {
      return error(res, 400, 'invalid_request_error', 'Body is not JSON');
    }
    if (!Array.isArray(body.messages) || body.messages.length === 0)
      return error(res, 400, 'invalid_request_error', 'messages: field required');
    const tag = markerValue(body, 'FAKE-TAG');
    if (tag) {
      const seen = {
        tag,
        auth,
        attempts: (requests.get(tag)?.attempts ?? 0) + 1,
        closedEarly: false,
        ended: false,
      };
      requests.set(tag, seen);
      res.on('finish', () => (seen.ended = true));
      res.on('close', () => {
        if (!seen.ended) seen.closedEarly = true;
      });
    }
    if (lastUserText(body).includes('FAKE-UPSTREAM-ERROR'))
      return error(res, 400, 'invalid_request_error', 'The fake was asked to fail this request.');
    const status = /FAKE-STATUS-(\d{3})/.exec(lastUserText(body));
    if (status) {
      const code = Number(status[1]);
      const type =
        code === 429 ? 'rate_limit_error' : code === 529 ? 'overloaded_error' : 'api_error';
      res.setHeader('retry-after', '0');
      return error(res, code, type, `The fake was asked to answer ${code}.`);
    }
    const delay = /FAKE-DELAY-(\d+)/.exec(lastUserText(body));
    const answer = () => {
      if (body.stream) stream(res, body).catch(() => res.destroy());
      else reply(res, body);
    };
    if (process.env.FAKE_LOG)
      console.log(
        `${new Date().toISOString()} ${body.stream ? 'stream' : 'reply'} tools=${(body.tools ?? []).map((t) => t.name).join(',')}`,
      );
    if (process.env.FAKE_LOG === 'body') console.log(JSON.stringify(body, null, 2));
    if (delay) setTimeout(answer, Math.min(10_000, Number(delay[1])));
    else answer();
    return undefined;
  });
});

server.listen(PORT, () => console.log(`fake-anthropic listening on http://localhost:${PORT}`));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
