#!/usr/bin/env node
// Runs the asynchronous process-API flow the way existing Rigi clients do, with
// the official socket.io-client, and prints one JSON line describing it.
//
// usage: node flow.js URL TOKEN PROJECT_ID TENANT KIND TRANSPORT OUT_ZIP
//   KIND is targets, sources or pseudo; TRANSPORT is websocket, polling or
//   default (the client's default: long-polling upgraded to WebSocket).
//
// Exit codes: 0 the ZIP was saved; 3 the export failed (downloadId held a
// message, printed as "error"); 1 anything else (printed as "fatal").
'use strict';

const fs = require('node:fs');
const { io } = require('socket.io-client');

const EVENTS = {
  targets: 'process_export_target',
  sources: 'process_export_source',
  pseudo: 'process_export_pseudo',
};
const TIMEOUT_MS = 30000;

function fail(result, message) {
  result.fatal = message;
  console.log(JSON.stringify(result));
  process.exit(1);
}

async function main() {
  const [url, token, projectArg, tenantId, kind, transport, out] = process.argv.slice(2);
  if (!out || !EVENTS[kind] || !['websocket', 'polling', 'default'].includes(transport)) {
    console.error('usage: node flow.js URL TOKEN PROJECT_ID TENANT KIND websocket|polling|default OUT_ZIP');
    process.exit(2);
  }
  const projectId = Number(projectArg);
  const event = EVENTS[kind];
  const result = { kind, transport, event };
  const timer = setTimeout(() => fail(result, `timed out after ${TIMEOUT_MS} ms`), TIMEOUT_MS);

  // "default" keeps the client's own choice: polling, then the upgrade.
  const socket = io(url, {
    auth: { token },
    withCredentials: true,
    reconnection: false,
    ...(transport === 'default' ? {} : { transports: [transport] }),
  });
  socket.io.on('open', () => {
    result.firstTransport = socket.io.engine.transport.name;
    socket.io.engine.on('upgrade', (t) => { result.upgradedTo = t.name; });
  });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (err) => reject(new Error(`connect_error: ${err.message}`)));
  }).catch((err) => fail(result, err.message));
  result.socketTransport = socket.io.engine.transport.name;

  const joinAck = await socket.timeout(5000).emitWithAck('joinProcessRoom', { projectId, tenantId })
    .catch((err) => fail(result, `joinProcessRoom ack: ${err.message}`));
  result.joinAck = joinAck;
  if (!joinAck || joinAck.ok !== true) fail(result, `joinProcessRoom refused: ${JSON.stringify(joinAck)}`);

  // Listen before the request: a small export may end before the 202 arrives.
  const eventSeen = new Promise((resolve) => socket.once(event, (payload) => resolve([performance.now(), payload])));

  // Warm up fetch (undici loads lazily) so that acceptMs measures the server.
  await fetch(`${url}/healthz`).then((r) => r.arrayBuffer()).catch(() => {});
  const start = performance.now();
  const resp = await fetch(`${url}/api/projects/${projectId}/process/${kind}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
  result.acceptMs = round(performance.now() - start);
  result.acceptStatus = resp.status;
  result.acceptLocation = resp.headers.get('location');
  result.acceptBody = await resp.json().catch(() => null);
  if (resp.status !== 202) fail(result, `POST process/${kind}: status ${resp.status}`);

  const [eventAt, payload] = await eventSeen;
  result.eventMs = round(eventAt - start);
  result.payload = payload;
  // Legacy clients read downloadId as a string and parse it as an integer.
  const downloadId = payload.downloadId;
  result.downloadId = downloadId;
  if (typeof downloadId !== 'string') fail(result, `downloadId is a ${typeof downloadId}, not a string`);
  if (!/^[0-9]+$/.test(downloadId)) {
    result.error = downloadId;
    await leave(socket, projectId, result);
    console.log(JSON.stringify(result));
    process.exit(3);
  }
  const id = parseInt(downloadId, 10);

  const dlStart = performance.now();
  const zip = await fetch(`${url}/api/projects/${projectId}/downloads/${id}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const body = Buffer.from(await zip.arrayBuffer());
  result.downloadMs = round(performance.now() - dlStart);
  result.downloadStatus = zip.status;
  result.downloadType = zip.headers.get('content-type');
  result.downloadLength = zip.headers.get('content-length');
  if (zip.status !== 200) fail(result, `GET downloads/${id}: status ${zip.status}: ${body.toString()}`);
  fs.writeFileSync(out, body);
  result.size = body.length;

  await leave(socket, projectId, result);
  clearTimeout(timer);
  console.log(JSON.stringify(result));
  process.exit(0);
}

// leave emits leaveProcessRoom with the bare project id, as existing clients do.
async function leave(socket, projectId, result) {
  result.leaveAck = await socket.timeout(5000).emitWithAck('leaveProcessRoom', projectId)
    .catch((err) => fail(result, `leaveProcessRoom ack: ${err.message}`));
  socket.disconnect();
}

function round(ms) {
  return Math.round(ms * 10) / 10;
}

main().catch((err) => {
  console.log(JSON.stringify({ fatal: String(err && err.stack || err) }));
  process.exit(1);
});
