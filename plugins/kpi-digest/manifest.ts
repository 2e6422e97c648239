import { defineManifest, type ConfigOf, type PluginContextOf } from '../../core/plugin-api.js';

/** What the plugin may do (checked by the host) and the JSON Schema of its config (its type, too). */
export const manifest = defineManifest({
  id: 'kpi-digest',
  version: '0.1.0',
  description: "Scheduled KPI digests (NPS, CSAT, CES, retention/churn, CAC/CLV, pipeline, RFM movement, mentions, loyalty points from the loyalty plugin, complaints, churn risk) with a server-rendered PNG chart, per channel or DM, daily/weekly/monthly in the subscriber's time zone.",
  commands: ['digest'],
  events: [],
  permissions: ['customers.read', 'outbox.send', 'scheduler'],
  documents: {
    subscriptions: { indexes: [['subscriber'], ['target', 'cadence']] },
  },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {},
  },
});

/** The plugin's config as the manifest's JSON Schema validates it (defaults filled in). */
export type Config = ConfigOf<typeof manifest>;
/** The context the host builds from this manifest. */
export type Ctx = PluginContextOf<typeof manifest>;
