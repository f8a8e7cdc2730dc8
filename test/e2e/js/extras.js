#!/usr/bin/env node
// Exercises tolk's additions to the process protocol with the official
// socket.io-client and prints one JSON line.
//
// usage:
//   node extras.js socketid URL TOKEN PROJECT_ID TENANT KIND
//     Sockets A and B join the room; A posts the export with X-Socket-Id.
//     Prints {"jobId", "a":[events], "b":[events]} once A has the completion
//     and a short grace period has passed.
//   node extras.js watch URL TOKEN JOB_ID [PROJECT_ID TENANT]
//     Connects (joining the room too when PROJECT_ID is given), emits watchJob
//     and prints {"ack", "events":[...]} once a completion has arrived and a
//     short grace period has passed, or after the wait for one ran out.
'use strict';

const { io } = require('socket.io-client');

const GRACE_MS = 400;
const COMPLETIONS = ['process_export_target', 'process_export_source', 'process_export_pseudo'];

function connect(url, token) {
  const socket = io(url, { auth: { token }, withCredentials: true, transports: ['websocket'], reconnection: false });
  const events = [];
  socket.onAny((event, payload) => events.push({ event, payload }));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, events }));
    socket.once('connect_error', (err) => reject(new Error(`connect_error: ${err.message}`)));
  });
}

// completion resolves once events holds a completion event, or after ms.
function completion(events, ms) {
  return new Promise((resolve) => {
    const start = Date.now();
    const tick = setInterval(() => {
      if (events.some((e) => COMPLETIONS.includes(e.event)) || Date.now() - start > ms) {
        clearInterval(tick);
        resolve();
      }
    }, 20);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function join(socket, projectId, tenantId) {
  const ack = await socket.timeout(5000).emitWithAck('joinProcessRoom', { projectId, tenantId });
  if (!ack || ack.ok !== true) throw new Error(`joinProcessRoom refused: ${JSON.stringify(ack)}`);
}

async function socketID([url, token, projectArg, tenantId, kind]) {
  const projectId = Number(projectArg);
  const a = await connect(url, token);
  const b = await connect(url, token);
  await join(a.socket, projectId, tenantId);
  await join(b.socket, projectId, tenantId);
  const resp = await fetch(`${url}/api/projects/${projectId}/process/${kind}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'X-Socket-Id': a.socket.id },
  });
  const body = await resp.json();
  if (resp.status !== 202) throw new Error(`POST: status ${resp.status}: ${JSON.stringify(body)}`);
  await completion(a.events, 30000);
  await sleep(GRACE_MS);
  a.socket.close();
  b.socket.close();
  return { jobId: body.jobId, a: a.events, b: b.events };
}

async function watch([url, token, jobArg, projectArg, tenantId]) {
  const c = await connect(url, token);
  if (projectArg) await join(c.socket, Number(projectArg), tenantId);
  const ack = await c.socket.timeout(5000).emitWithAck('watchJob', { jobId: Number(jobArg) });
  await completion(c.events, ack && ack.ok ? 30000 : GRACE_MS);
  await sleep(GRACE_MS);
  c.socket.close();
  return { ack, events: c.events };
}

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  setTimeout(() => { console.log(JSON.stringify({ fatal: 'timed out' })); process.exit(1); }, 45000).unref();
  const run = { socketid: socketID, watch }[mode];
  if (!run) {
    console.error('usage: node extras.js socketid|watch ...');
    process.exit(2);
  }
  console.log(JSON.stringify(await run(args)));
}

main().catch((err) => {
  console.log(JSON.stringify({ fatal: String(err && err.stack || err) }));
  process.exit(1);
});
