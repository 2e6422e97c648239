import type { Case, Customer, Deal, IdentityLink, Interaction, Platform } from '../domain/types.js';
import type { SurveyKind } from '../domain/survey-answer.js';

/** Every event the core publishes; plugins subscribe by name and get a typed payload. */
export interface CoreEvents {
  'message.received': { tenant: string; platform: Platform; channel: string; actor: IdentityLink; interaction: Interaction; permalink: string | null; inReplyTo?: string | null };
  'interaction.recorded': { tenant: string; interaction: Interaction; by: string };
  'customer.created': { tenant: string; customer: Customer };
  'customer.erased': { tenant: string; customerId: number };
  'deal.created': { tenant: string; deal: Deal };
  'deal.stage_changed': { tenant: string; deal: Deal; from: string };
  'deal.won': { tenant: string; deal: Deal };
  'deal.lost': { tenant: string; deal: Deal };
  /** A won or lost deal put back in an open stage; `from` is the stage it left, `by` who reopened it. */
  'deal.reopened': { tenant: string; deal: Deal; from: string; by: string };
  'case.opened': { tenant: string; case: Case };
  'case.closed': { tenant: string; case: Case };
  /**
   * `--demo` loaded a seeded year: the surveys its answers belong to (each answer is a survey_response keyed by
   * surveyAnswerSource) and the listening queries its chat messages match, for plugins to create their records.
   * The demo's messages are published as `message.received` right after, so listening hears them like live ones.
   */
  'demo.loaded': { tenant: string; by: string; at: string; surveys: DemoSurvey[]; queries: { name: string; query: string }[] };
}

export interface DemoSurvey {
  id: string;
  kind: SurveyKind;
  startedAt: string;
  finishedAt: string;
  answers: { customerId: number; identity: string; score: number; why: string | null; answeredAt: string }[];
}
export type EventName = keyof CoreEvents;
type Handler<E extends EventName> = (payload: CoreEvents[E]) => Promise<void> | void;

export class EventBus {
  private readonly handlers = new Map<EventName, Handler<any>[]>();

  constructor(private readonly onError: (event: EventName, error: unknown) => void) {}

  on<E extends EventName>(event: E, handler: Handler<E>): () => void {
    const list = this.handlers.get(event) ?? [];
    list.push(handler);
    this.handlers.set(event, list);
    return () => list.splice(list.indexOf(handler), 1);
  }

  /** Runs every handler; one failing handler is reported and does not stop the others. */
  async emit<E extends EventName>(event: E, payload: CoreEvents[E]): Promise<void> {
    for (const h of this.handlers.get(event) ?? []) {
      try {
        await h(payload);
      } catch (e) {
        this.onError(event, e);
      }
    }
  }
}
