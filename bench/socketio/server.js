'use strict';
// Socket.IO v4 baseline for the AppManager benchmark: the same fan-out as the other targets.
// A client connects with auth {"token": ..., "topic": ...} and joins the room named by topic.
// POST /publish (or /api/v1/events, the path the bench publisher uses) with a JSON body
// {"topic": ..., ...} emits the whole body, with a per-topic "seq" added, as a "message" event to that room.
// GET /memory answers process.memoryUsage() after global.gc() (run with node --expose-gc).
// Connection state recovery is on: a client that comes back within maxDisconnectionDuration
// with its pid and last offset gets what it missed (socket.recovered is true).
const http = require('http');
const { Server } = require('socket.io');

const port = Number(process.env.PORT || process.argv[2] || 3000);
const seqs = new Map();

const httpServer = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/memory') {
    // idle footprint (scenario 2): a full collection first (node --expose-gc), so what is left is live
    const gc = typeof global.gc === 'function';
    if (gc) {
      global.gc();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ gc, ...process.memoryUsage() }));
    return;
  }
  if (req.method !== 'POST' || (req.url !== '/publish' && req.url !== '/api/v1/events')) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not_found"}');
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (e) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":"bad_json"}');
      return;
    }
    if (typeof body.topic !== 'string') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":"topic_required"}');
      return;
    }
    // the publisher has several requests in flight, so their order is this server's: stamp it, as
    // AppManager stamps seq, so that clients can tell a gap from a reordering
    const seq = (seqs.get(body.topic) || 0) + 1;
    seqs.set(body.topic, seq);
    body.seq = seq;
    io.to(body.topic).emit('message', body);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
});

const io = new Server(httpServer, {
  transports: ['websocket'],
  serveClient: false,
  maxHttpBufferSize: 1e6,
  connectionStateRecovery: {
    maxDisconnectionDuration: 2 * 60 * 1000,
    skipMiddlewares: true,
  },
});

io.use((socket, next) => {
  const auth = socket.handshake.auth || {};
  if (typeof auth.topic !== 'string' || auth.topic.length === 0) {
    next(new Error('topic required in auth'));
    return;
  }
  next();
});

io.on('connection', (socket) => {
  // a recovered socket is already back in its rooms
  if (!socket.recovered) {
    socket.join(socket.handshake.auth.topic);
  }
});

httpServer.listen(port, '127.0.0.1', () => {
  console.log('listening ' + httpServer.address().port);
});

const stop = () => {
  io.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
