// The S3-protocol server the tests start: s3rver on 127.0.0.1, keeping its buckets in a folder.
// usage: node --openssl-legacy-provider server.js <port> <folder> [bucket...]   prints "s3rver ready on http://127.0.0.1:<port>" once it listens.
'use strict';

const fs = require('fs');
const S3rver = require('s3rver');

const [port, directory, ...buckets] = process.argv.slice(2);
if (!port || !directory) {
  console.error('usage: node server.js <port> <folder> [bucket...]');
  process.exit(2);
}

const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: true,
  configureBuckets: buckets.map(name => ({ name })),
});

server.run().then(
  address => console.log(`s3rver ready on http://${address.address}:${address.port}`),
  error => {
    console.error(`s3rver did not start: ${error.message}`);
    process.exit(1);
  },
);

// The tests stop it with SIGTERM (or kill it outright): end at once, whatever is in flight.
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));

// The test run that started this server can end without stopping it (its exit handler does not always get to run),
// which left servers running and their folders behind, run after run. Once the parent is gone, nobody uses the
// server or its folder any more: end, and take the folder along.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid === parent) return;
  fs.rmSync(directory, { recursive: true, force: true });
  process.exit(0);
}, 1000).unref();
