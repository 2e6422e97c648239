/** Telegram's per-chat limits: about one message a second in a chat, 20 a minute in a group. */
export const PACE = { gapMs: 1000, groupPerMinute: 20 };
const MINUTE = 60_000;

export function isGroupChat(chatId: string): boolean {
  return chatId.startsWith('-');
}

/** Remembers recent sends per chat so the outbox waits instead of provoking a 429. */
export class ChatPacer {
  private readonly sent = new Map<string, number[]>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** How long `chatId` must wait before its next message; 0 means now. */
  waitMs(chatId: string): number {
    const now = this.clock();
    const times = this.recent(chatId, now);
    const last = times[times.length - 1];
    const gap = last === undefined ? 0 : last + PACE.gapMs - now;
    const window = isGroupChat(chatId) && times.length >= PACE.groupPerMinute ? times[times.length - PACE.groupPerMinute]! + MINUTE - now : 0;
    return Math.max(0, gap, window);
  }

  /** Counts one message sent to `chatId` now. */
  note(chatId: string): void {
    const now = this.clock();
    const times = this.recent(chatId, now);
    times.push(now);
    this.sent.set(chatId, times.slice(-PACE.groupPerMinute));
    if (this.sent.size > 10_000) this.sweep(now);
  }

  private recent(chatId: string, now: number): number[] {
    return (this.sent.get(chatId) ?? []).filter((t) => t > now - MINUTE);
  }

  private sweep(now: number): void {
    for (const [chat, times] of this.sent) if (!times.some((t) => t > now - MINUTE)) this.sent.delete(chat);
  }
}
