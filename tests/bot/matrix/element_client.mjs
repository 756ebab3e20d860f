// A professional at an Element-grade Matrix client: matrix-js-sdk with its Rust crypto (the same
// matrix-sdk-crypto that Element uses), as a second implementation independent of the bot's matrix-nio.
//
// Driven by tests/bot/matrix/element.py over JSON lines: commands on stdin ({"id", "op", ...}), and on stdout the
// answers ({"id", ...} or {"id", "error"}) and what happens ({"type": "ready" | "message" | "undecryptable"}).
// Everything the SDK logs goes to stderr, so stdout carries only the protocol.
//
// Usage: node element_client.mjs NODE_MODULES HOMESERVER USER_ID  (the password comes on stdin as the first line;
// NODE_MODULES is where scripts/setup-node-tools installed matrix-js-sdk)

import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const protocol = process.stdout.write.bind(process.stdout);
for (const level of ["log", "info", "debug", "trace", "warn"]) {
  console[level] = (...parts) => process.stderr.write(parts.join(" ") + "\n");
}

const [nodeModules, homeserver, userId] = process.argv.slice(2);
const resolve = createRequire(`${nodeModules}/`).resolve;
const load = (name) => import(pathToFileURL(resolve(name)).href);
const sdk = await load("matrix-js-sdk");
const { logger } = await load("matrix-js-sdk/lib/logger.js");
logger.setLevel(process.env.ELEMENT_CLIENT_LOG_LEVEL ?? "warn");

const ENCRYPTION = { type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } };
const WAIT_MS = 20000;

function emit(record) {
  protocol(JSON.stringify(record) + "\n");
}

async function waitFor(check, what) {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function login(password) {
  const anonymous = sdk.createClient({ baseUrl: homeserver });
  const session = await anonymous.loginRequest({
    type: "m.login.password",
    identifier: { type: "m.id.user", user: userId },
    password,
    initial_device_display_name: "matrix-js-sdk test client",
  });
  const client = sdk.createClient({
    baseUrl: homeserver,
    userId: session.user_id,
    deviceId: session.device_id,
    accessToken: session.access_token,
  });
  // The in-memory store: Node has no IndexedDB, and each test starts a fresh device anyway.
  await client.initRustCrypto({ useIndexedDB: false });
  return client;
}

/** Reports each message from someone else once, in clear text, as soon as it can be read; history from before
 * this device existed is not news (and a new device could not read it anyway). */
function listen(client, since) {
  const reported = new Set();
  const report = (event, room) => {
    if (reported.has(event.getId()) || event.getType() !== "m.room.message") return;
    reported.add(event.getId());
    emit({
      type: "message",
      room: room.roomId,
      body: event.getContent().body ?? "",
      event: {
        event_id: event.getId(),
        sender: event.getSender(),
        encrypted: event.isEncrypted(),
        content: event.getContent(),
      },
    });
  };
  client.on(sdk.RoomEvent.Timeline, (event, room, toStartOfTimeline) => {
    if (toStartOfTimeline || !room || event.getSender() === userId || event.getTs() < since) return;
    if (!event.isEncrypted()) {
      report(event, room);
      return;
    }
    // Keys may come after the event: the SDK retries and emits Decrypted again when they do.
    const settle = () => {
      if (event.isDecryptionFailure()) {
        emit({ type: "undecryptable", room: room.roomId, event_id: event.getId() });
      } else {
        report(event, room);
      }
    };
    event.on(sdk.MatrixEventEvent.Decrypted, settle);
    if (!event.isBeingDecrypted() && event.getClearContent() !== null) settle();
  });
  client.on(sdk.RoomMemberEvent.Membership, (_event, member) => {
    if (member.userId === userId && member.membership === "invite") {
      client.joinRoom(member.roomId).catch((error) => process.stderr.write(`join failed: ${error}\n`));
    }
  });
}

function joined(client, roomId, user) {
  return client.getRoom(roomId)?.getMember(user)?.membership === "join";
}

/** As Element opens a direct chat: private, the other invited, flagged direct, encrypted from the start. */
async function openDirectChat(client, { bot, encrypted }) {
  const { room_id: roomId } = await client.createRoom({
    preset: sdk.Preset.TrustedPrivateChat,
    is_direct: true,
    invite: [bot],
    initial_state: encrypted ? [ENCRYPTION] : [],
  });
  const direct = client.getAccountData(sdk.EventType.Direct)?.getContent() ?? {};
  direct[bot] = [...(direct[bot] ?? []), roomId];
  await client.setAccountData(sdk.EventType.Direct, direct);
  await waitFor(() => joined(client, roomId, bot), `${bot} to join ${roomId}`);
  return { room: roomId };
}

async function send(client, { room, text, reply_to: replyTo }) {
  const content = { msgtype: "m.text", body: text };
  if (replyTo) content["m.relates_to"] = { "m.in_reply_to": { event_id: replyTo } };
  const { event_id: eventId } = await client.sendMessage(room, content);
  return { event_id: eventId };
}

async function encrypted(client, { room }) {
  return { encrypted: await client.getCrypto().isEncryptionEnabledInRoom(room) };
}

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const started = Date.now();
const client = await login((await lines.next()).value);
listen(client, started);
await client.startClient({ initialSyncLimit: 20 });
await waitFor(() => client.isInitialSyncComplete(), "the first sync");
emit({ type: "ready", device_id: client.getDeviceId() });

const operations = { dm: openDirectChat, send, encrypted };
for await (const line of { [Symbol.asyncIterator]: () => lines }) {
  const command = JSON.parse(line);
  if (command.op === "stop") break;
  const operation = operations[command.op];
  // Commands run concurrently; each answer carries its command's id.
  Promise.resolve(operation ? operation(client, command) : Promise.reject(new Error(`unknown op ${command.op}`)))
    .then((answer) => emit({ id: command.id, ...answer }))
    .catch((error) => emit({ id: command.id, error: String(error) }));
}
client.stopClient();
process.exit(0);
