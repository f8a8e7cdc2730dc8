#!/usr/bin/env node
// Counts how many completion events the official socket.io-client receives
// per export when the export ends before the client joined ("late") and
// while its transport is cut ("cut"), for clients that use tolk's job ids
// (X-Socket-Id, watchJob) and for clients of the original protocol.
//
// usage: node race.js CONFIG_JSON
//   CONFIG_JSON: {"url","proxyUrl","tenant","settleMs","oldWaitMs","lostAfterMs",
//                 "runs":[{"proto":"jobid"|"old","projectId","token","transport","query"}]}
//
// Runs come in pairs (a new-protocol client, then an old one, same project).
// It prints one JSON line per phase and reads the driver's words on stdin:
//   {"phase":"late","results":[...]}   runs of the late-join case
//   {"phase":"connected"}              every client joined through the proxy and
//                                      half of them posted; the driver cuts the
//                                      proxy and writes "cut"
//   {"phase":"posted","jobs":[...]}    the other half posted while cut; once the
//                                      jobs ended the driver restores the proxy
//                                      and writes "restored"
//   {"phase":"cut","results":[...]}    runs of the cut case
// A result is {"proto","jobId","count","socketIds","disconnects","watchAcks"}:
// count is how many completion events carried the run's job id.
'use strict';

const readline = require('node:readline');
const { io } = require('socket.io-client');

const EVENTS = ['process_export_target', 'process_export_source', 'process_export_pseudo'];

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function print(obj) {
  console.log(JSON.stringify(obj));
}

// Client is one application instance: one socket, one export at a time.
class Client {
  constructor(cfg, run, viaProxy, autoConnect) {
    this.cfg = cfg;
    this.run = run;
    this.jobId = 0;
    this.count = 0;
    this.socketIds = [];
    this.disconnects = 0;
    this.watchAcks = [];
    this.firstAt = 0;
    this.socket = io(viaProxy ? cfg.proxyUrl : cfg.url, {
      auth: { token: run.token },
      withCredentials: true,
      transports: [run.transport],
      forceNew: true, // one connection per client, as separate applications have
      reconnection: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 400,
      timeout: 5000,
      autoConnect,
    });
    for (const ev of EVENTS) this.socket.on(ev, (p) => this.onCompletion(p));
    this.socket.on('disconnect', () => { this.disconnects++; });
    this.connected = new Promise((resolve) => this.socket.once('connect', resolve));
    // On every connect after the first the socket is new and in no room.
    this.socket.on('connect', () => {
      this.socketIds.push(this.socket.id);
      if (this.socketIds.length > 1) this.rejoin();
    });
  }

  onCompletion(p) {
    const mine = this.run.proto === 'jobid'
      ? p.jobId === this.jobId
      : p.downloadId === String(this.jobId); // all an old client can compare
    if (!mine) return;
    this.count++;
    if (!this.firstAt) this.firstAt = Date.now();
  }

  async join() {
    const ack = await this.socket.timeout(5000).emitWithAck('joinProcessRoom',
      { projectId: this.run.projectId, tenantId: this.cfg.tenant });
    if (!ack || ack.ok !== true) throw new Error(`joinProcessRoom: ${JSON.stringify(ack)}`);
  }

  async rejoin() {
    try {
      await this.join();
      // Only a client of the new protocol can ask for what it missed.
      if (this.run.proto === 'jobid' && this.jobId && this.count === 0) await this.watch();
    } catch (err) {
      this.error = `rejoin: ${err.message}`;
    }
  }

  async watch() {
    const ack = await this.socket.timeout(5000).emitWithAck('watchJob', { jobId: this.jobId });
    this.watchAcks.push(ack && ack.ok);
    if (!ack || ack.ok !== true) throw new Error(`watchJob: ${JSON.stringify(ack)}`);
  }

  async post(socketId, query) {
    const headers = { Authorization: `Bearer ${this.run.token}` };
    if (socketId) headers['X-Socket-Id'] = socketId;
    const resp = await fetch(`${this.cfg.url}/api/projects/${this.run.projectId}/process/targets?returnZip=false${query ? `&${query}` : ''}`,
      { method: 'POST', headers });
    const body = await resp.json();
    if (resp.status !== 202) throw new Error(`POST: status ${resp.status}: ${JSON.stringify(body)}`);
    this.jobId = body.jobId;
  }

  // waitEnded polls the job over HTTP until it has ended.
  async waitEnded() {
    const url = `${this.cfg.url}/api/projects/${this.run.projectId}/process/jobs/${this.jobId}`;
    for (;;) {
      const resp = await fetch(url, { headers: { Authorization: `Bearer ${this.run.token}` } });
      const job = await resp.json();
      if (['done', 'failed', 'cancelled', 'expired'].includes(job.status)) return;
      await sleep(1000);
    }
  }

  // settle waits for the run's completion (old clients: oldWaitMs; new ones:
  // lostAfterMs), then settleMs more, so that a duplicate would be counted.
  async settle() {
    const limit = Date.now() + (this.run.proto === 'jobid' ? this.cfg.lostAfterMs : this.cfg.oldWaitMs);
    while (!this.firstAt && Date.now() < limit) await sleep(20);
    if (this.firstAt) await sleep(Math.max(0, this.firstAt + this.cfg.settleMs - Date.now()));
  }

  result() {
    this.socket.close();
    return {
      proto: this.run.proto, transport: this.run.transport, jobId: this.jobId, count: this.count,
      socketIds: this.socketIds, disconnects: this.disconnects, watchAcks: this.watchAcks, error: this.error,
    };
  }
}

// late: the export ends before the clients exist; a client of each protocol
// then connects and joins, and the new one asks for the job.
async function late(cfg, pair) {
  const clients = pair.map((run) => new Client(cfg, run, false, false)); // not connected before the job ended
  const [first] = clients;
  try {
    await first.post('');
    await first.waitEnded();
  } catch (err) {
    first.error = err.message;
    return clients.map((c) => c.result());
  }
  await Promise.all(clients.map(async (c) => {
    c.jobId = first.jobId;
    try {
      c.socket.connect();
      await c.connected;
      try {
        await c.join();
        if (c.run.proto === 'jobid') await c.watch();
      } catch (err) {
        // A connection dropped before the ack is what a client of job ids
        // survives, as tolk documents it: the connect handler joins and
        // watches again on the new socket (rejoin). Any other refusal is a
        // failure.
        if (!/disconnected/.test(err.message)) throw err;
      }
      await c.settle();
    } catch (err) {
      c.error = err.message;
    }
  }));
  return clients.map((c) => c.result());
}

async function main() {
  const cfg = JSON.parse(process.argv[2]);
  const lines = readline.createInterface({ input: process.stdin });
  const waiting = {};
  const heard = (word) => new Promise((resolve) => { waiting[word] = resolve; });
  lines.on('line', (l) => { if (waiting[l.trim()]) waiting[l.trim()](); });
  const cut = heard('cut');
  const restored = heard('restored');

  const pairs = [];
  for (let i = 0; i < cfg.runs.length; i += 2) pairs.push(cfg.runs.slice(i, i + 2));
  const lateResults = await Promise.all(pairs.map((pair) => late(cfg, pair)));
  print({ phase: 'late', results: lateResults.flat() });

  // Half the runs post while connected, just before the cut; the others
  // while the link is down, naming the socket they had (a client whose
  // connection died silently still believes it has it).
  const clients = cfg.runs.map((run) => new Client(cfg, run, true, true));
  await Promise.all(clients.map(async (c) => {
    await c.connected;
    await c.join();
    c.lastId = c.socket.id;
  }));
  const post = (c) => c.post(c.run.proto === 'jobid' ? c.lastId : '', c.run.query).catch((err) => { c.error = err.message; });
  const before = clients.filter((c, i) => (i >> 1) % 2 === 0);
  const during = clients.filter((c, i) => (i >> 1) % 2 === 1);
  await Promise.all(before.map(post));
  print({ phase: 'connected' });
  await cut;
  await Promise.all(during.map(post));
  print({ phase: 'posted', jobs: clients.map((c) => ({ projectId: c.run.projectId, jobId: c.jobId })) });
  await restored;
  await Promise.all(clients.map((c) => c.settle()));
  print({ phase: 'cut', results: clients.map((c) => c.result()) });
  lines.close();
  process.exit(0);
}

main().catch((err) => {
  print({ fatal: String(err && err.stack || err) });
  process.exit(1);
});
