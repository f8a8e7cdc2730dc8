#!/usr/bin/env node
// Probes the Socket.IO side of tolk with the official client; prints one JSON
// line per step.
//
// usage: node probe.js MODE URL TOKEN [PROJECT_ID TENANT [LEAVE_FORM]]
//   connect  connect and report {"connected":true} or {"connected":false,"error":...}
//   join     connect, emit joinProcessRoom and report the ack
//   hold     connect, join, print {"ready":true,"ack":...}, print every event
//            as {"event":...,"payload":...}, and when the server goes away
//            print {"disconnected":true,"reason":...} and exit
//   leave    connect, join, emit leaveProcessRoom with the bare project id
//            (LEAVE_FORM "bare") or {projectId} ("object"), print
//            {"leaveAck":...}, print every event, exit when stdin closes
'use strict';

const { io } = require('socket.io-client');

function print(obj) {
  console.log(JSON.stringify(obj));
}

async function main() {
  const [mode, url, token, projectArg, tenantId, leaveForm] = process.argv.slice(2);
  if (!['connect', 'join', 'hold', 'leave'].includes(mode) || !token) {
    console.error('usage: node probe.js connect|join|hold|leave URL TOKEN [PROJECT_ID TENANT [bare|object]]');
    process.exit(2);
  }
  setTimeout(() => { print({ fatal: 'timed out' }); process.exit(1); }, 30000).unref();
  const socket = io(url, { auth: { token }, withCredentials: true, transports: ['websocket'], reconnection: false });
  const connected = await new Promise((resolve) => {
    socket.once('connect', () => resolve({ connected: true }));
    socket.once('connect_error', (err) => resolve({ connected: false, error: err.message, data: err.data }));
  });
  if (mode === 'connect' || !connected.connected) {
    print(connected);
    socket.close();
    return;
  }
  const projectId = Number(projectArg);
  if (mode === 'hold') {
    // Registered before the first emit, so that a connection dropped at any
    // time prints a line rather than letting Node end quietly.
    socket.once('disconnect', (reason) => {
      print({ disconnected: true, reason });
      process.exit(0);
    });
  }
  const ack = await socket.timeout(5000).emitWithAck('joinProcessRoom', { projectId, tenantId })
    .catch((err) => ({ timeout: err.message }));
  if (mode === 'join') {
    print({ connected: true, ack });
    socket.close();
    return;
  }
  socket.onAny((event, payload) => print({ event, payload }));
  if (mode === 'leave') {
    const arg = leaveForm === 'object' ? { projectId } : projectId;
    const leaveAck = await socket.timeout(5000).emitWithAck('leaveProcessRoom', arg)
      .catch((err) => ({ timeout: err.message }));
    print({ joinAck: ack, leaveAck });
    process.stdin.resume();
    process.stdin.on('end', () => {
      socket.close();
      process.exit(0);
    });
    return;
  }
  print({ ready: true, ack });
}

main().catch((err) => {
  print({ fatal: String(err && err.stack || err) });
  process.exit(1);
});
