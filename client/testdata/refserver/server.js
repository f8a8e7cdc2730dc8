// Reference Socket.IO v4 server for the Go client's tests (client/socketio).
// It listens on 127.0.0.1, on PORT (0 = any free port), and prints
// "listening <port>" on stdout once ready. PING_INTERVAL and PING_TIMEOUT
// (milliseconds) set the Engine.IO keepalive; TOKEN is the accepted auth token.
"use strict";

const http = require("http");
const { Server } = require("socket.io");

const token = process.env.TOKEN || "good";
const httpServer = http.createServer();
const io = new Server(httpServer, {
  pingInterval: Number(process.env.PING_INTERVAL || 25000),
  pingTimeout: Number(process.env.PING_TIMEOUT || 20000),
  transports: ["websocket", "polling"],
});

io.use((socket, next) => {
  const auth = socket.handshake.auth || {};
  if (auth.token !== token) {
    const err = new Error("invalid token");
    err.data = { reason: "unknown token" };
    return next(err);
  }
  next();
});

io.on("connection", (socket) => {
  let pongs = 0;
  socket.conn.on("packet", (p) => {
    if (p.type === "pong") pongs++;
  });
  // echo: acknowledges with the arguments it got.
  socket.on("echo", (...args) => {
    const ack = args.pop();
    ack(...args);
  });
  // stats: the number of pongs this connection has received.
  socket.on("stats", (ack) => ack({ pongs, id: socket.id }));
  // push: the server emits "pushed" with the payload, then "pushed-ack"
  // asking for an acknowledgement, and reports the client's answer as "acked".
  socket.on("push", (payload) => {
    socket.emit("pushed", payload, socket.id);
    socket.emit("pushed-ack", payload, () => socket.emit("acked", payload));
  });
  // kick: a server-initiated disconnect.
  socket.on("kick", () => socket.disconnect(true));
  // join/room: rooms are lost on reconnect; tests re-join in OnConnect.
  socket.on("join", (room, ack) => {
    socket.join(room);
    ack({ ok: true });
  });
  socket.on("broadcast", (room, payload) => io.to(room).emit("room", payload));
});

httpServer.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
  console.log("listening " + httpServer.address().port);
});
