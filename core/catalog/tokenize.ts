/** Text → search tokens: camelCase and snake_case split, lower-cased, stop words dropped, plurals folded. */

const STOP = new Set([
  'a', 'an', 'the', 'to', 'of', 'in', 'on', 'for', 'and', 'or', 'by', 'with', 'from', 'at', 'as', 'is', 'are',
  'be', 'it', 'its', 'this', 'that', 'these', 'my', 'our', 'your', 'all', 'any', 'into', 'i', 'me', 'we', 'you',
  'how', 'do', 'does', 'can', 'what', 'which', 'some', 'one', 'e', 'g', 'eg',
]);

/** Folds simple English plurals: `messages` → `message`, `entries` → `entry`. */
export function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (word.length > 4 && /(ches|shes|sses|xes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Splits identifiers and prose into tokens. */
export function tokenize(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0 && !STOP.has(t))
    .map(stem);
}
