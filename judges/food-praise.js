// A code judge (provider: module): does the review praise the food?
// A deliberately small lexicon baseline — the kind of cheap check a team calibrates before
// trusting it, and the yardstick an LLM judge has to beat.
const FOOD = /\b(food|dish|dishes|meal|meals|menu|pizza|pasta|steak|burger|sushi|dessert|flavou?r|taste|tasty|cooked|entree|appetizer|portion)s?\b/i;
const POSITIVE = /\b(great|excellent|amazing|delicious|tasty|good|fantastic|wonderful|awesome|perfect|best|fresh|yummy|superb|outstanding|love|loved|enjoyed|incredible)\b/i;
const NEGATIVE = /\b(bland|bad|terrible|awful|cold|mediocre|disappointing|disappointed|overcooked|undercooked|stale|gross|horrible|poor|worst|soggy|burnt|salty|greasy|not great|not good|ok|okay)\b/i;

export default function judge({ input }) {
  // Look at the sentences that talk about food; judge their tone.
  const sentences = String(input).split(/(?<=[.!?])\s+|\s+(?:but|however|although)\s+/i);
  const about = sentences.filter((s) => FOOD.test(s));
  if (about.length === 0) return { verdict: 'fail', reason: 'the review does not talk about the food' };
  const negative = about.find((s) => NEGATIVE.test(s));
  if (negative) return { verdict: 'fail', reason: `negative words about the food: "${negative.trim()}"` };
  const positive = about.find((s) => POSITIVE.test(s));
  if (positive) return { verdict: 'pass', reason: `praises the food: "${positive.trim()}"` };
  return { verdict: 'fail', reason: 'mentions the food without praise' };
}
