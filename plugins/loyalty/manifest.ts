import { defineManifest, type ConfigOf, type PluginContextOf } from '../../core/plugin-api.js';

/** One earning rule's schema: every rule has the same fields, with its own defaults. */
const rule = (description: string, d: { points: number; pointsPerCurrencyUnit: number; pending: boolean; capPerDay: number | null; capPerCustomer: number | null; overCap: 'drop' | 'approve' }) => ({
  description,
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    points: { description: 'Fixed points per event (0: none).', type: 'integer', minimum: 0, default: d.points },
    pointsPerCurrencyUnit: {
      description: 'Points per whole unit of the tenant currency, times the tier multiplier.', type: 'number', minimum: 0, maximum: 10000, default: d.pointsPerCurrencyUnit,
    },
    pending: { description: 'Earn into pending (spendable after pendingDays) instead of spendable at once.', type: 'boolean', default: d.pending },
    capPerDay: { $ref: '#/$defs/capPerDay', default: d.capPerDay },
    capPerCustomer: { $ref: '#/$defs/capPerCustomer', default: d.capPerCustomer },
    capPerEvent: { $ref: '#/$defs/capPerEvent', default: null },
    overCap: { $ref: '#/$defs/overCap', default: d.overCap },
  },
}) as const;

/** A cap's schema: a whole number of points, or null for no cap. */
const cap = (description: string) => ({ description, type: ['integer', 'null'], minimum: 0 }) as const;

/** What the plugin may do (checked by the host) and the JSON Schema of its config (its type, too). */
export const manifest = defineManifest({
  id: 'loyalty',
  version: '0.1.0',
  description: 'Loyalty points: an append-only ledger of earn, redeem, expire, adjust and reversal entries; earning rules, pending points, tiers, a rewards catalogue with stock.',
  commands: ['points', 'rewards', 'redeem'],
  events: ['interaction.recorded', 'deal.won', 'deal.reopened', 'customer.created'],
  permissions: ['customers.read', 'outbox.send', 'scheduler'],
  documents: {
    held: { indexes: [['customerId'], ['status', 'at']] },
    rewards: { indexes: [['cost']] },
  },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    default: {},
    properties: {
      pendingDays: {
        description: 'Days purchase points stay pending (returns) before they can be spent.',
        type: 'integer',
        minimum: 0,
        maximum: 365,
        default: 14,
      },
      expiryMonths: {
        description: 'Months after being earned that points expire.',
        type: 'integer',
        minimum: 1,
        maximum: 120,
        default: 12,
      },
      expiryWarningDays: {
        description: "Days ahead a customer is told that points will expire (also the 'expiring soon' window of /points).",
        type: 'integer',
        minimum: 0,
        maximum: 365,
        default: 14,
      },
      maxManualPoints: {
        description: 'Most points one /points give or /points take may move.',
        type: 'integer',
        minimum: 1,
        default: 10000,
      },
      maxRewardCost: {
        description: 'Highest cost in points a reward may have.',
        type: 'integer',
        minimum: 1,
        default: 1000000,
      },
      tierWindowDays: {
        description: 'Rolling window of earned points that decides the tier.',
        type: 'integer',
        minimum: 1,
        maximum: 3650,
        default: 365,
      },
      tiers: {
        description: 'Tiers by points earned in the window; the lowest threshold must be 0. The multiplier applies to amount-based earning.',
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'threshold', 'multiplier'],
          properties: {
            name: {
              type: 'string',
              minLength: 1,
              maxLength: 40,
            },
            threshold: {
              type: 'integer',
              minimum: 0,
            },
            multiplier: {
              type: 'number',
              minimum: 0,
              maximum: 100,
            },
          },
        },
        default: [
          {
            name: 'Bronze',
            threshold: 0,
            multiplier: 1,
          },
          {
            name: 'Silver',
            threshold: 1000,
            multiplier: 1.25,
          },
          {
            name: 'Gold',
            threshold: 5000,
            multiplier: 1.5,
          },
        ],
      },
      rules: {
        description: 'Earning rules: each event earns points + floor(amount in whole currency units x pointsPerCurrencyUnit x tier multiplier), within the caps. Points above capPerEvent or capPerDay of a rule with overCap approve wait for /points approve.',
        type: 'object',
        additionalProperties: false,
        default: {},
        properties: {
          purchase: rule('A purchase logged with an amount (interaction.recorded, type purchase).', { points: 0, pointsPerCurrencyUnit: 1, pending: true, capPerDay: 10000, capPerCustomer: null, overCap: 'approve' }),
          dealWon: rule('A won deal, to the deal customer (deals in the tenant currency only).', { points: 0, pointsPerCurrencyUnit: 1, pending: false, capPerDay: 10000, capPerCustomer: null, overCap: 'approve' }),
          survey: rule('A survey answered (interaction.recorded, type survey_response).', { points: 10, pointsPerCurrencyUnit: 0, pending: false, capPerDay: 30, capPerCustomer: null, overCap: 'drop' }),
          helpful: rule('A helpful community message, marked by staff with /points helpful.', { points: 5, pointsPerCurrencyUnit: 0, pending: false, capPerDay: 25, capPerCustomer: null, overCap: 'drop' }),
          referral: rule('A referral, recorded by staff with /points referral (once per referred customer).', { points: 100, pointsPerCurrencyUnit: 0, pending: false, capPerDay: null, capPerCustomer: 1000, overCap: 'drop' }),
          welcome: rule('Welcome bonus when a customer record is created.', { points: 50, pointsPerCurrencyUnit: 0, pending: false, capPerDay: null, capPerCustomer: null, overCap: 'drop' }),
        },
      },
    },
    $defs: {
      capPerDay: cap('Most points this rule gives one customer per day (tenant time zone); null: no cap.'),
      capPerCustomer: cap('Most points this rule gives one customer in total; null: no cap.'),
      capPerEvent: cap("Most points one event of this rule earns without a manager's approval; null: maxManualPoints for staff-caused rules, no cap otherwise. Never above maxManualPoints for purchase, dealWon, helpful and referral."),
      overCap: {
        description: "What happens to points above a cap: drop them, or hold them for a manager's /points approve.",
        enum: ['drop', 'approve'],
      },
    },
  },
});

/** The plugin's config as the manifest's JSON Schema validates it (defaults filled in). */
export type Config = ConfigOf<typeof manifest>;
/** The context the host builds from this manifest. */
export type Ctx = PluginContextOf<typeof manifest>;
