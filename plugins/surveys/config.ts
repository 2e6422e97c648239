import type { Platform, SurveyKind } from '../../core/index.js';

/** The plugin's config after manifest validation (defaults filled in by the host). */
export interface SurveyConfig {
  minDaysBetweenSurveys: number;
  /** Local wall-clock times; start == end means no quiet hours. */
  quietHours: { start: string; end: string };
  /** 0 turns reminders off. */
  reminderAfterHours: number;
  expiresAfterDays: number;
  followUpHours: number;
  followUpOwner: string | null;
  alertTarget: { platform: Platform; target: string } | null;
  discordDmCap: number;
  discordChannel: string | null;
  afterDealWonDays: number | null;
  afterDealWonSurvey: SurveyKind;
  afterComplaintClosedSurvey: SurveyKind | null;
  pageSize: number;
  maxRecipientsPerTick: number;
}
