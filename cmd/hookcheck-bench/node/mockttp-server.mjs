// The mockttp anchor of `make bench`: a mockttp server (default options, so
// it records the traffic it sees, as hookcheck does) whose one rule answers
// POST /hooks/bench with 200. Once the rule is in place it writes
// {"url": "http://127.0.0.1:PORT"} to the file named by its argument; it
// stops on SIGTERM or SIGINT.
import { renameSync, writeFileSync } from 'node:fs';
import { getLocal } from 'mockttp';

const addrFile = process.argv[2];
if (!addrFile) {
  console.error('usage: node mockttp-server.mjs ADDR_FILE');
  process.exit(2);
}

const server = getLocal();
await server.start();
await server.forPost('/hooks/bench').thenReply(200, 'OK');
writeFileSync(addrFile + '.tmp', JSON.stringify({ url: `http://127.0.0.1:${server.port}` }));
renameSync(addrFile + '.tmp', addrFile);
console.log(`mockttp ready on port ${server.port}`);

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    server.stop().finally(() => process.exit(0));
  });
}
