// Test-only preload for `node --require`: sends every HTTPS connection of a child `tweetlab` process to the
// fake Twitter API on 127.0.0.1 (port and certificate from the environment), so the built CLI can be tested
// against it unchanged, exactly as the in-process tests do by swapping https.globalAgent.
const https = require('node:https');
const tls = require('node:tls');

const port = Number(process.env.TWEETLAB_TEST_FAKE_TWITTER_PORT);
const ca = process.env.TWEETLAB_TEST_FAKE_TWITTER_CA;
if (!port || !ca) throw new Error('fake-twitter-preload: TWEETLAB_TEST_FAKE_TWITTER_PORT and _CA are required');

class LoopbackAgent extends https.Agent {
  createConnection(options) {
    return tls.connect({ ...options, host: '127.0.0.1', port, servername: 'api.x.com', ca });
  }
}
https.globalAgent = new LoopbackAgent({ keepAlive: false });
