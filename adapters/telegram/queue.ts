/**
 * Per-chat sequential work: jobs of one chat run in arrival order, different chats run concurrently.
 * A failing job is reported and does not block the ones behind it.
 */
export class ChatQueue {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly onError: (e: unknown) => void) {}

  push(chatId: string, job: () => Promise<void>): Promise<void> {
    const next = (this.tails.get(chatId) ?? Promise.resolve()).then(job).catch(this.onError);
    this.tails.set(chatId, next);
    void next.then(() => {
      if (this.tails.get(chatId) === next) this.tails.delete(chatId);
    });
    return next;
  }

  /** Resolves once every queued job (including ones queued meanwhile) has finished. */
  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all(this.tails.values());
  }
}
