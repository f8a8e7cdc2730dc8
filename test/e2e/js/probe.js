#!/usr/bin/env node
// Probes the Socket.IO side of tolk with the official client; prints one JSON
// line per step.
//
// usage: node probe.js MODE URL TOKEN [PROJECT_ID TENANT]
//   connect  connect and report {"connected":true} or {"connected":false,"error":...}
//   join     connect, emit joinProcessRoom and report the ack
//   hold     connect, join, print {"ready":true}, then wait for the server to
//            go away and report {"disconnected":true,"reason":...}
'use strict';

const { io } = require('socket.io-client');

function print(obj) {
  console.log(JSON.stringify(obj));
}

async function main() {
  const [mode, url, token, projectArg, tenantId] = process.argv.slice(2);
  if (!['connect', 'join', 'hold'].includes(mode) || !token) {
    console.error('usage: node probe.js connect|join|hold URL TOKEN [PROJECT_ID TENANT]');
    process.exit(2);
  }
  setTimeout(() => { print({ fatal: 'timed out' }); process.exit(1); }, 20000).unref();
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
  const ack = await socket.timeout(5000).emitWithAck('joinProcessRoom', { projectId: Number(projectArg), tenantId })
    .catch((err) => ({ timeout: err.message }));
  if (mode === 'join') {
    print({ connected: true, ack });
    socket.close();
    return;
  }
  socket.once('disconnect', (reason) => {
    print({ disconnected: true, reason });
    process.exit(0);
  });
  print({ ready: true, ack });
}

main().catch((err) => {
  print({ fatal: String(err && err.stack || err) });
  process.exit(1);
});
