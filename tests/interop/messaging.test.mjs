// Interoperability: the official SignalR JavaScript client (@microsoft/signalr) against a real node.
// Starts the built silo (SILO_DLL) in a fresh working directory on a free loopback port, drives it over REST and
// the hub as a patient and her clinician, and always stops it afterwards.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as signalR from "@microsoft/signalr";

const here = path.dirname(fileURLToPath(import.meta.url));
const siloDll = path.resolve(process.env.SILO_DLL ?? path.join(here, "../../silo/Cluster.Silo/bin/Release/net10.0/Cluster.Silo.dll"));

const READY_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

const ALICE = "patient-alice";
const HOUSE = "dr-house";

const node = { process: null, url: null, workDir: null, output: [] };
const state = {};

// ---- the node ------------------------------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function remember(chunk) {
  node.output.push(...chunk.toString().split("\n").filter((line) => line.length > 0));
  if (node.output.length > 200) {
    node.output.splice(0, node.output.length - 200);
  }
}

function nodeOutput() {
  return node.output.length ? `\n--- last lines of the node's output ---\n${node.output.slice(-40).join("\n")}` : "";
}

function killNow() {
  if (node.process && node.process.exitCode === null && node.process.signalCode === null) {
    node.process.kill("SIGKILL");
  }

  if (node.workDir) {
    try {
      rmSync(node.workDir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // A leftover temp directory is not worth failing over.
    }
  }
}

// The last resort when the runner ends this process some other way: never leave a node running.
process.on("exit", killNow);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    killNow();
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 })[signal]);
  });
}

async function startNode() {
  assert.ok(existsSync(siloDll), `The node's build is missing: ${siloDll}. Build it (dotnet build -c Release) or set SILO_DLL.`);
  const port = await freePort();
  node.url = `http://127.0.0.1:${port}`;
  node.workDir = await mkdtemp(path.join(tmpdir(), "cluster-interop-"));
  node.process = spawn("dotnet", [siloDll, "--urls", node.url], {
    cwd: node.workDir,
    env: {
      ...process.env,
      DOTNET_NOLOGO: "1",
      DOTNET_CLI_TELEMETRY_OPTOUT: "1",
      ASPNETCORE_URLS: node.url,
      Cluster__Storage__Provider: "Sqlite",
      Cluster__Storage__ConnectionString: "Data Source=data/cluster.db",
      Cluster__Backplane__Provider: "InProcess",
      Auth__DevTokens: "true",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  node.process.stdout.on("data", remember);
  node.process.stderr.on("data", remember);
  const exited = new Promise((resolve) => node.process.once("exit", (code, signal) => resolve({ code, signal })));
  node.exited = exited;

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    const early = await Promise.race([exited, delay(250).then(() => null)]);
    if (early) {
      assert.fail(`The node exited before it was ready (code ${early.code}, signal ${early.signal}).${nodeOutput()}`);
    }

    try {
      const response = await fetch(`${node.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      last = `${response.status} ${await response.text()}`;
      if (response.status === 200) {
        return;
      }
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
  }

  assert.fail(`GET /readyz did not answer 200 within ${READY_TIMEOUT_MS / 1000} s (last: ${last}).${nodeOutput()}`);
}

async function stopNode() {
  const child = node.process;
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill("SIGTERM");
    const stopped = await Promise.race([node.exited, delay(STOP_TIMEOUT_MS).then(() => null)]);
    if (!stopped) {
      child.kill("SIGKILL");
      await node.exited;
    }
  }

  if (node.workDir) {
    await rm(node.workDir, { recursive: true, force: true, maxRetries: 3 });
    node.workDir = null;
  }
}

// ---- helpers -------------------------------------------------------------------------------------------------

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Fails with `message` unless `promise` settles within `ms`. */
async function within(ms, message, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms / 1000} s: ${message}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function rest(method, route, token, body) {
  const response = await within(STEP_TIMEOUT_MS, `${method} ${route}`, fetch(`${node.url}${route}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  }));
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }

  return { status: response.status, json, text };
}

function expectStatus(response, expected, what) {
  const allowed = [expected].flat();
  assert.ok(allowed.includes(response.status), `${what}: expected HTTP ${allowed.join(" or ")}, got ${response.status} ${response.text}`);
}

async function devToken(userId) {
  const response = await rest("POST", "/dev/token", null, { userId });
  expectStatus(response, 200, `POST /dev/token for ${userId}`);
  assert.equal(typeof response.json?.accessToken, "string", "the dev token response has an accessToken");
  return response.json.accessToken;
}

const EVENTS = ["MessageCreated", "ReadConfirmation", "Typing", "ConversationChanged", "InboxChanged", "UrgentMessage", "UnreadAlert"];

/** A hub connection that records every push, so a test can wait for one that may already have arrived. */
async function connect(name, token) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`${node.url}/hubs/messaging`, {
      accessTokenFactory: () => token,
      transport: signalR.HttpTransportType.WebSockets,
    })
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  const client = { name, connection, pushes: [], waiters: new Set() };
  for (const method of EVENTS) {
    connection.on(method, (e) => {
      const push = { method, ...e };
      client.pushes.push(push);
      for (const waiter of client.waiters) {
        if (waiter.matches(push)) {
          client.waiters.delete(waiter);
          waiter.resolve(push);
        }
      }
    });
  }

  await within(STEP_TIMEOUT_MS, `${name} connecting to /hubs/messaging over WebSockets`, connection.start());
  return client;
}

function nextPush(client, method, predicate, description) {
  const matches = (push) => push.method === method && predicate(push);
  const seen = client.pushes.find(matches);
  if (seen) {
    return Promise.resolve(seen);
  }

  let waiter;
  const arrived = new Promise((resolve) => {
    waiter = { matches, resolve };
    client.waiters.add(waiter);
  });
  const received = () => client.pushes.map((p) => `${p.method}#${p.cursor}`).join(", ") || "nothing";
  return within(STEP_TIMEOUT_MS, `${client.name} never received ${method} ${description} (received: ${received()})`, arrived)
    .finally(() => client.waiters.delete(waiter));
}

function invoke(client, method, args) {
  return within(STEP_TIMEOUT_MS, `${client.name} invoking ${method}`, client.connection.invoke(method, args));
}

function need(...keys) {
  for (const key of keys) {
    assert.ok(state[key] !== undefined, `an earlier step did not provide ${key}; see the first failure above`);
  }
}

// ---- the tests -----------------------------------------------------------------------------------------------

describe("the official SignalR JavaScript client against a real node", { timeout: 180_000 }, () => {
  before(async () => {
    await startNode();
  }, { timeout: READY_TIMEOUT_MS + 10_000 });

  after(async () => {
    for (const client of [state.alice, state.house]) {
      if (client) {
        await within(STOP_TIMEOUT_MS, `stopping ${client.name}'s connection`, client.connection.stop()).catch(() => {});
      }
    }

    await stopNode();
  }, { timeout: 2 * STOP_TIMEOUT_MS + 5_000 });

  test("dev tokens, terms and a conversation started over REST", async () => {
    state.aliceToken = await devToken(ALICE);
    state.houseToken = await devToken(HOUSE);

    const terms = await rest("GET", "/api/v1/terms", state.aliceToken);
    expectStatus(terms, 200, "GET /api/v1/terms (the patient's messaging terms)");
    assert.equal(typeof terms.json?.currentVersion, "string", `the terms name their current version: ${terms.text}`);
    const accepted = await rest("POST", "/api/v1/terms/accept", state.aliceToken, { version: terms.json.currentVersion });
    expectStatus(accepted, 200, "POST /api/v1/terms/accept");

    const started = await rest("POST", "/api/v1/conversations", state.aliceToken, {
      topic: "MedicalQuestion",
      subject: "Knee pain after running",
      body: "My left knee hurts after long runs. Should I rest it for a week?",
      clientMessageId: randomUUID(),
    });
    expectStatus(started, 201, "POST /api/v1/conversations");
    const { conversationId, started: result } = started.json;
    assert.match(conversationId, /^c-[0-9a-f]{32}$/);
    assert.equal(result.conversation.assignedClinicianId, HOUSE, "a medical question goes to the patient's own clinician");
    assert.equal(result.conversation.status, "AwaitingCareTeam");
    assert.equal(result.message.sequence, 1);
    assert.equal(result.duplicate, false);
    state.conversationId = conversationId;
  });

  test("both users connect over WebSockets with a bearer token", async () => {
    need("aliceToken", "houseToken");
    state.alice = await connect(ALICE, state.aliceToken);
    state.house = await connect(HOUSE, state.houseToken);
    for (const client of [state.alice, state.house]) {
      assert.equal(client.connection.state, signalR.HubConnectionState.Connected, `${client.name} is connected`);
    }
  });

  test("SendMessage answers the stored message and the clinician receives MessageCreated", async () => {
    need("alice", "house", "conversationId");
    const clientMessageId = randomUUID();
    const body = "It is also a little swollen this morning.";
    const result = await invoke(state.alice, "SendMessage", { conversationId: state.conversationId, body, clientMessageId });
    assert.equal(result?.ok, true, `SendMessage succeeds: ${JSON.stringify(result)}`);
    assert.equal(result.error, null);
    const { message } = result.value;
    assert.equal(message.conversationId, state.conversationId);
    assert.equal(message.sequence, 2, "the second message of the conversation");
    assert.equal(message.senderId, ALICE);
    assert.equal(message.senderRole, "Patient");
    assert.equal(message.body, body);
    assert.equal(message.clientMessageId, clientMessageId);
    assert.equal(result.value.duplicate, false);

    const push = await nextPush(state.house, "MessageCreated", (p) => p.data?.message?.clientMessageId === clientMessageId, `for ${clientMessageId}`);
    assert.match(push.eventId, /^[0-9a-f-]{36}$/, "the push has an event id");
    assert.ok(Number.isInteger(push.cursor) && push.cursor > 0, `the push has a feed cursor > 0 (got ${push.cursor})`);
    assert.equal(push.type, "MessageCreated");
    assert.ok(!Number.isNaN(Date.parse(push.at)), "the push has a timestamp");
    assert.equal(push.data.conversationId, state.conversationId);
    assert.equal(push.data.message.body, body);
    assert.equal(push.data.message.sequence, message.sequence);

    const again = await invoke(state.alice, "SendMessage", { conversationId: state.conversationId, body, clientMessageId });
    assert.equal(again.ok, true);
    assert.equal(again.value.duplicate, true, "a retried send with the same clientMessageId is not stored twice");
    assert.equal(again.value.message.sequence, message.sequence);

    const changed = await invoke(state.alice, "SendMessage", { conversationId: state.conversationId, body: `Correction: ${body}`, clientMessageId });
    assert.equal(changed?.ok, false, `another body under a used clientMessageId is refused, not taken for a retry: ${JSON.stringify(changed)}`);
    assert.equal(changed.value, null);
    assert.equal(changed.error.code, "idempotency_conflict");
    assert.match(changed.error.message, /new message/);
    state.sequence = message.sequence;
    state.messageClientId = clientMessageId;
  });

  test("MarkRead by the clinician reaches the patient as ReadConfirmation", async () => {
    need("alice", "house", "conversationId", "sequence");
    const result = await invoke(state.house, "MarkRead", { conversationId: state.conversationId, upToSequence: state.sequence });
    assert.equal(result?.ok, true, `MarkRead succeeds: ${JSON.stringify(result)}`);
    assert.equal(result.value.userId, HOUSE);
    assert.equal(result.value.sequence, state.sequence);

    const push = await nextPush(state.alice, "ReadConfirmation", (p) => p.data?.readerId === HOUSE, `naming ${HOUSE}`);
    assert.ok(push.cursor > 0, "a read confirmation is stored, so it has a cursor");
    assert.equal(push.data.conversationId, state.conversationId);
    assert.equal(push.data.readerRole, "Clinician");
    assert.equal(push.data.upToSequence, state.sequence);
    state.readConfirmation = push;
  });

  test("Typing reaches the other participant and is never stored (cursor 0)", async () => {
    need("alice", "house", "conversationId");
    const result = await invoke(state.alice, "Typing", { conversationId: state.conversationId });
    assert.deepEqual(result, { ok: true, value: true, error: null });
    const push = await nextPush(state.house, "Typing", (p) => p.data?.conversationId === state.conversationId, "for the conversation");
    assert.equal(push.cursor, 0);
    assert.equal(push.data.userId, ALICE);
  });

  test("Sync replays the patient's feed in cursor order", async () => {
    need("alice", "conversationId", "readConfirmation", "messageClientId");
    const events = [];
    let after = 0;
    for (let page = 0; ; page++) {
      assert.ok(page < 100, "Sync keeps answering hasMore");
      const result = await invoke(state.alice, "Sync", { after });
      assert.equal(result?.ok, true, `Sync succeeds: ${JSON.stringify(result)}`);
      events.push(...result.value.events);
      assert.ok(result.value.nextCursor >= after, "nextCursor never goes back");
      after = result.value.nextCursor;
      if (!result.value.hasMore) {
        break;
      }
    }

    assert.ok(events.length >= 4, `the feed holds the conversation's events (got ${events.map((e) => e.type).join(", ")})`);
    for (let i = 1; i < events.length; i++) {
      assert.ok(events[i].cursor > events[i - 1].cursor, `cursors ascend: ${events.map((e) => e.cursor).join(", ")}`);
    }

    const ours = events.filter((e) => e.data?.conversationId === state.conversationId);
    const sequences = ours.filter((e) => e.type === "MessageCreated").map((e) => e.data.message.sequence);
    assert.deepEqual(sequences, [1, 2], "both messages, in order");
    assert.ok(ours.some((e) => e.type === "ConversationChanged" && e.data.change === "Started"), "the start of the conversation");
    const read = ours.find((e) => e.type === "ReadConfirmation" && e.data.readerId === HOUSE);
    assert.ok(read, "the read confirmation");
    assert.equal(read.eventId, state.readConfirmation.eventId, "a replayed event has the event id of its live push");
    assert.equal(read.cursor, state.readConfirmation.cursor, "and the same cursor");
    assert.ok(events.at(-1).cursor <= after, "nextCursor is at or past the last event");
    assert.ok(!events.some((e) => e.type === "Typing"), "typing notices are never stored");

    const tail = await invoke(state.alice, "Sync", { after });
    assert.deepEqual(tail.value.events, [], "nothing after the last cursor");
  });

  test("a refused call answers ok: false with a stable code, not an exception", async () => {
    need("alice", "conversationId");
    const unknown = await invoke(state.alice, "SendMessage", { conversationId: "c-0000", body: "hello", clientMessageId: randomUUID() });
    assert.equal(unknown.ok, false);
    assert.equal(unknown.value, null);
    assert.equal(unknown.error.code, "not_found");
    assert.equal(typeof unknown.error.message, "string");

    const empty = await invoke(state.alice, "SendMessage", { conversationId: state.conversationId, body: "   ", clientMessageId: randomUUID() });
    assert.equal(empty.ok, false);
    assert.equal(empty.error.code, "message_empty");
  });
});
