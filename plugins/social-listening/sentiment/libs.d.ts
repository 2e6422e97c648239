/** The two English sentiment packages ship no TypeScript types: the parts this folder uses. */

declare module 'wink-sentiment' {
  interface WinkToken {
    value: string;
    tag: string;
    score?: number;
    negation?: boolean;
    grouped?: number;
  }
  function sentiment(phrase: string): { score: number; normalizedScore: number; tokenizedPhrase?: WinkToken[] };
  export default sentiment;
}

declare module 'vader-sentiment' {
  const vader: {
    SentimentIntensityAnalyzer: { polarity_scores(text: string): { neg: number; neu: number; pos: number; compound: number } };
  };
  export default vader;
}

declare module 'vader-sentiment/src/vader_lexicon.js' {
  export const lexicon: Record<string, number>;
}
