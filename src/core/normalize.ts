/**
 * The exact-match key: case, accents, punctuation and spacing do not change a question.
 * Digits and word order are kept, so "France 2020" and "2021 France" stay different.
 */
export function normalizeQuery(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** Lower-cased word tokens (letters and digits), as used by the guard, the embedder and the corpus. */
export function tokenize(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? []
}
