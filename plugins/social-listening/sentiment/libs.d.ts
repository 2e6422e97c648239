/** wink-sentiment ships no TypeScript types: the part this folder uses. (The bench loads vader-sentiment with require.) */

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
