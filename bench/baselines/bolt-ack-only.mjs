// The Slack SDK alone: a Bolt app on its own HTTPReceiver that verifies each slash command and acks it, nothing else.
// The load test's baseline for Slack acks: what any server built on Bolt pays per request on this machine.
import bolt from '@slack/bolt';

const { App, HTTPReceiver } = bolt;
const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET, endpoints: '/slack/events' });
const app = new App({ receiver, authorize: async () => ({ botToken: 'xoxb-baseline' }), ignoreSelf: false, convoStore: false, logLevel: 'error' });
app.command(/^\/.+/, async ({ ack }) => ack({ response_type: 'ephemeral', text: 'ok' }));
await app.start({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('up');
