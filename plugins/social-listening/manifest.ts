import { chatTargetSchema, defineManifest, type ConfigOf, type PluginContextOf } from '../../core/plugin-api.js';

/** What the plugin may do (checked by the host) and the JSON Schema of its config (its type, too). */
export const manifest = defineManifest({
  id: 'social-listening',
  version: '1.0.0',
  description: 'Social listening: brand queries matched against every chat message and polled RSS/Atom/JSON sources, sentiment, spike and high-value alerts with triage buttons, mention reports and influence.',
  commands: ['listen', 'mentions'],
  events: ['message.received', 'demo.loaded'],
  permissions: ['customers.read', 'interactions.write', 'outbox.send', 'scheduler'],
  documents: {
    mentions: { indexes: [['customerId'], ['author'], ['day', 'query'], ['query', 'hour']] },
    authors: { indexes: [['identity', 'day'], ['day']] },
    said: { indexes: [['author']] },
    hourly: { indexes: [['query', 'hour']] },
    bursts: { indexes: [['query', 'to']] },
    queries: { indexes: [['name']] },
  },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      alertTarget: { ...chatTargetSchema, description: 'Where alerts go: a platform and a target identity or channel:<id>. Without it no alerts are sent.' },
      minSpikeCount: {
        type: 'integer',
        minimum: 1,
        default: 5,
        description: "A spike needs at least this many mentions of a query within 60 minutes (sliding, by the mentions' own times).",
      },
      spikeZ: {
        type: 'number',
        minimum: 0,
        default: 3,
        description: "and a z-score at least this high against the query's last 7 days of hourly counts.",
      },
      baselineHours: {
        type: 'integer',
        minimum: 0,
        maximum: 168,
        default: 24,
        description: 'A new query listens this long, building its baseline, before it can raise a spike alert.',
      },
      highValueMonetaryMinor: {
        type: 'integer',
        minimum: 0,
        default: 100000,
        description: 'Negative mentions from customers who spent at least this much (minor units) alert, whatever their RFM segment.',
      },
      influenceThreshold: {
        type: 'number',
        minimum: 0,
        maximum: 100,
        default: 50,
        description: 'Negative mentions from members with at least this influence score alert.',
      },
      maxQueries: {
        type: 'integer',
        minimum: 1,
        maximum: 20000,
        default: 1000,
      },
      maxSources: {
        type: 'integer',
        minimum: 1,
        maximum: 1000,
        default: 50,
      },
      pollCron: {
        type: 'string',
        default: '*/15 * * * *',
        description: 'When sources are polled (UTC).',
      },
      fetchTimeoutMs: {
        type: 'integer',
        minimum: 100,
        maximum: 120000,
        default: 10000,
      },
      maxFeedBytes: {
        type: 'integer',
        minimum: 1024,
        maximum: 20971520,
        default: 1048576,
      },
    },
  },
});

/** The plugin's config as the manifest's JSON Schema validates it (defaults filled in). */
export type Config = ConfigOf<typeof manifest>;
/** The context the host builds from this manifest. */
export type Ctx = PluginContextOf<typeof manifest>;
