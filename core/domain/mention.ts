/** How a brand mention is kept as a `mention` interaction, so the core can weigh it (churn risk) without the plugin. */
export type Sentiment = 'negative' | 'neutral' | 'positive';

export function mentionText(sentiment: Sentiment, excerpt: string): string {
  return `${sentiment}: ${excerpt}`;
}

export function mentionSentiment(text: string): Sentiment | null {
  const m = /^(negative|neutral|positive): /.exec(text);
  return m ? (m[1] as Sentiment) : null;
}
