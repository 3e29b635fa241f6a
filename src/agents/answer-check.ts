/** SQuAD-style normal form: lower case, no punctuation, no articles, single spaces. */
export function normalizeAnswerText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\b(a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** Does the text contain one of the gold answers as whole words (after normalisation)? */
export function containsGoldAnswer(text: string, answers: readonly string[]): boolean {
  const haystack = ` ${normalizeAnswerText(text)} `
  return answers.some((answer) => {
    const needle = normalizeAnswerText(answer)
    return needle !== '' && haystack.includes(` ${needle} `)
  })
}
