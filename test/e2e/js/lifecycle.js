#!/usr/bin/env node
// Drives tolk's job lifecycle additions with the official socket.io-client and
// prints JSON lines.
//
// usage: node lifecycle.js listen CONFIG_JSON
//   CONFIG: {"url","tenant","token","projectId","jobId"?,"timeoutMs","settleMs"}
//   Connects, joins the project's room, prints {"phase":"ready","socketId"},
//   emits watchJob when jobId is set, and collects events until a completion
//   (of jobId when set) arrived and settleMs passed, or timeoutMs. Then prints
//   {"phase":"done","watchAck","completions":[...],"progress":[...]}.
//
// usage: node lifecycle.js many CONFIG_JSON
//   CONFIG: {"url","tenant","timeoutMs","settleMs","outDir"?,
//            "clients":[{"token","projectId","kind","query","old"?}]}
//   Every client connects and joins; then all POST at once, each naming its
//   own socket in X-Socket-Id (except "old" ones, which rely on the room); each waits for the completion of its job, and
//   downloads the ZIP into outDir/client<i>.zip when outDir is set. Prints
//   {"phase":"done","clients":[{"status","body","socketId","completions","zip"}]}.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { io } = require('socket.io-client');

const EVENTS = ['process_export_target', 'process_export_source', 'process_export_pseudo'];

function print(obj) {
  console.log(JSON.stringify(obj));
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// connect opens a socket that records every completion and progress event
// with the time it arrived.
async function connect(cfg, token, projectId) {
  const socket = io(cfg.url, { auth: { token }, withCredentials: true, transports: ['websocket'], forceNew: true, reconnection: false });
  const rec = { socket, completions: [], progress: [] };
  for (const ev of EVENTS) socket.on(ev, (p) => rec.completions.push({ event: ev, at: Date.now(), payload: p }));
  socket.on('process_progress', (p) => rec.progress.push({ at: Date.now(), payload: p }));
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (err) => reject(new Error(`connect_error: ${err.message}`)));
  });
  const ack = await socket.timeout(5000).emitWithAck('joinProcessRoom', { projectId, tenantId: cfg.tenant });
  if (!ack || ack.ok !== true) throw new Error(`joinProcessRoom: ${JSON.stringify(ack)}`);
  return rec;
}

// waitCompletion waits for a completion matching want, then settleMs more so
// that a second one would be seen too.
async function waitCompletion(cfg, rec, want) {
  const limit = Date.now() + cfg.timeoutMs;
  let first;
  while (Date.now() < limit && !(first = rec.completions.find((c) => want(c.payload)))) await sleep(20);
  if (first) await sleep(cfg.settleMs);
}

async function listen(cfg) {
  const rec = await connect(cfg, cfg.token, cfg.projectId);
  print({ phase: 'ready', socketId: rec.socket.id });
  let watchAck = null;
  if (cfg.jobId) watchAck = await rec.socket.timeout(5000).emitWithAck('watchJob', { jobId: cfg.jobId });
  await waitCompletion(cfg, rec, (p) => !cfg.jobId || p.jobId === cfg.jobId);
  rec.socket.close();
  print({ phase: 'done', watchAck, completions: rec.completions, progress: rec.progress });
}

async function many(cfg) {
  const recs = await Promise.all(cfg.clients.map((c) => connect(cfg, c.token, c.projectId)));
  const answers = await Promise.all(cfg.clients.map(async (c, i) => {
    const resp = await fetch(`${cfg.url}/api/projects/${c.projectId}/process/${c.kind}?${c.query || ''}`, {
      method: 'POST',
      headers: c.old ? { Authorization: `Bearer ${c.token}` }
        : { Authorization: `Bearer ${c.token}`, 'X-Socket-Id': recs[i].socket.id },
    });
    return { status: resp.status, body: await resp.json().catch(() => null) };
  }));
  const out = await Promise.all(cfg.clients.map(async (c, i) => {
    const rec = recs[i];
    const jobId = answers[i].body && answers[i].body.jobId;
    const res = { ...answers[i], socketId: rec.socket.id };
    if (jobId) await waitCompletion(cfg, rec, (p) => p.jobId === jobId);
    rec.socket.close();
    res.completions = rec.completions;
    const mine = rec.completions.find((e) => e.payload.jobId === jobId && e.payload.status === 'done');
    if (cfg.outDir && mine) {
      const zip = await fetch(`${cfg.url}${mine.payload.url}`, { headers: { Authorization: `Bearer ${c.token}` } });
      res.zip = path.join(cfg.outDir, `client${i}.zip`);
      fs.writeFileSync(res.zip, Buffer.from(await zip.arrayBuffer()));
      res.zipStatus = zip.status;
    }
    return res;
  }));
  print({ phase: 'done', clients: out });
}

const modes = { listen, many };
const [mode, cfgArg] = process.argv.slice(2);
if (!modes[mode] || !cfgArg) {
  console.error('usage: node lifecycle.js listen|many CONFIG_JSON');
  process.exit(2);
}
modes[mode](JSON.parse(cfgArg)).then(() => process.exit(0), (err) => {
  print({ phase: 'fatal', fatal: String(err && err.stack || err) });
  process.exit(1);
});
