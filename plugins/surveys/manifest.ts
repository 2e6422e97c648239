import { chatTargetSchema, defineManifest, type ConfigOf, type PluginContextOf } from '../../core/plugin-api.js';

/** What the plugin may do (checked by the host) and the JSON Schema of its config (its type, too). */
export const manifest = defineManifest({
  id: 'surveys',
  version: '1.0.0',
  description: 'NPS, CSAT and CES surveys answered with buttons inside the chat, with a closed loop on negative answers',
  commands: ['survey'],
  events: ['deal.won', 'case.closed', 'demo.loaded'],
  permissions: [
    'customers.read',
    'customers.write',
    'interactions.write',
    'cases.write',
    'outbox.send',
    'scheduler',
  ],
  documents: {
    campaigns: { indexes: [['status', 'seq'], ['status', 'at'], ['seq'], ['kind', 'seq']] },
    recipients: { indexes: [['campaignId', 'status', 'dueAt'], ['campaignId', 'status', 'sentAt'], ['customerId']] },
    answers: { indexes: [['campaignId'], ['customerId', 'answeredAt']] },
    followups: { indexes: [['closedAt', 'overdueToldAt', 'dueAt'], ['caseId'], ['campaignId'], ['customerId']] },
    decisions: { indexes: [['customerId']] },
  },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      minDaysBetweenSurveys: {
        type: 'integer',
        minimum: 0,
        default: 30,
      },
      quietHours: {
        type: 'object',
        additionalProperties: false,
        required: ['start', 'end'],
        properties: {
          start: {
            type: 'string',
            pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
          },
          end: {
            type: 'string',
            pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
          },
        },
        default: {
          start: '21:00',
          end: '08:00',
        },
      },
      reminderAfterHours: {
        type: 'number',
        minimum: 0,
        default: 48,
      },
      expiresAfterDays: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 14,
      },
      followUpHours: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 48,
      },
      followUpOwner: {
        type: ['string', 'null'],
        default: null,
      },
      alertTarget: { ...chatTargetSchema, type: ['object', 'null'], default: null },
      discordDmCap: {
        type: 'integer',
        minimum: 0,
        default: 200,
      },
      discordChannel: {
        type: ['string', 'null'],
        pattern: '^[0-9]{5,25}$',
        default: null,
      },
      afterDealWonDays: {
        type: ['integer', 'null'],
        minimum: 0,
        default: null,
      },
      afterDealWonSurvey: {
        enum: ['nps', 'csat', 'ces'],
        default: 'nps',
      },
      afterComplaintClosedSurvey: {
        enum: ['nps', 'csat', 'ces', null],
        default: null,
      },
      pageSize: {
        type: 'integer',
        minimum: 1,
        maximum: 5000,
        default: 500,
      },
      maxRecipientsPerTick: {
        type: 'integer',
        minimum: 1,
        default: 5000,
      },
    },
  },
});

/** The plugin's config as the manifest's JSON Schema validates it (defaults filled in). */
export type Config = ConfigOf<typeof manifest>;
/** The context the host builds from this manifest. */
export type Ctx = PluginContextOf<typeof manifest>;
