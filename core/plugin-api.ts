/**
 * The plugin API: everything a plugin may import from the core, and nothing that opens a store, starts
 * the app or reaches past the context its manifest earns it. Adapters, main, bench and tests use the app
 * API (core/index.ts), which includes this.
 */
export type { ChatEvent } from './chat/event.js';
export { replySchema, buttonSchema, commandButton, text, type Reply, type Button, type Field } from './chat/reply.js';
export type { Logger } from './logger.js';
export { definePlugin, type PluginContext, type PluginContextOf, type PluginDefinition, type KpiSource } from './plugins/host.js';
export { chatTargetSchema, defineManifest, type ConfigOf, type Permission, type PermissionsOf, type PluginManifest } from './plugins/manifest.js';
export type { CoreReads, CoreView, CoreWrites } from './plugins/capabilities.js';
export { docsOf, ledgerOf, openCollections, type DocsOf, type LedgerOf, type Opened } from './plugins/collections.js';
export type { CommandRegistry } from './commands/types.js';
// A plugin's commands see only what its manifest grants; the app API (core/index.ts) keeps the core's flavours.
export type { PluginCommandContext as CommandContext, PluginCommandSpec as CommandSpec, PluginSubcommand as Subcommand } from './plugins/commands.js';
export { pluginCommand as command, pluginSub as sub } from './plugins/commands.js';
export { CommandError, ConflictError, NotFoundError, RateError, RoleError, helpReply, usageLine, type ErrorCode } from './commands/router.js';
export { noArgs, words, safeName } from './commands/args.js';
export { resolveCustomer } from './commands/customer-ref.js';
export type { ParsedArgs } from './commands/tokenize.js';
export { tokenize } from './commands/tokenize.js';
export type { CoreEvents, DemoSurvey, EventName } from './events/bus.js';
export type { JobSpec } from './scheduler/scheduler.js';
export type { TenantSettings } from './settings.js';
export type * from './domain/types.js';
export { PLATFORMS, ROLES, INTERACTION_TYPES } from './domain/types.js';
export { identitySchema, isIdentity, platformOf, shortId, parseShortId } from './domain/ids.js';
export { canonicalZone, formatInZone, zoneFor } from './domain/time-zone.js';
export { mentionText, mentionSentiment, type Sentiment } from './domain/mention.js';
export { surveyAnswerText, parseSurveyAnswer, surveyAnswerSource, surveySourcePrefix, type SurveyKind } from './domain/survey-answer.js';
export { parseAmount, formatMoney, isCurrency, AMOUNT_FORMS } from './sales/amount.js';
export type { OutboxItem, DocCollection, Where, Ledger, LedgerEntry, AppendResult } from './store/port.js';
export { changeDoc } from './store/doc-change.js';
export type { LedgerMatch } from './store/port.js';
export * from './kpi/index.js';
export { perCurrency, dealForecast } from './sales/deal-book.js';
export { chartPng, chartSvg, renderChart, pngDataUrl, CHART_FONT, type EChartsOption, type RenderedChart } from './chart/render.js';
